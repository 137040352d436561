package dev.meshgate.cli.demo;

import dev.meshgate.bootstrap.EnvoyBootstrap;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real Envoy processes for the demo, one per gateway, each bootstrapped at the running xDS
 * server. Admin ports are the free ones counting up from {@link #FIRST_ADMIN_PORT}; the base id
 * follows the admin port so the Envoys (and one started by hand) do not collide.
 */
final class DemoEnvoys implements AutoCloseable {
  static final int FIRST_ADMIN_PORT = 9901;

  record Running(String gateway, int adminPort, Path log, Process process) {}

  private final List<Running> envoys;

  private DemoEnvoys(List<Running> envoys) {
    this.envoys = List.copyOf(envoys);
  }

  static DemoEnvoys start(Path envoy, List<String> gateways, String xdsHost, int xdsPort, Path workDir)
      throws IOException {
    List<Running> started = new ArrayList<>();
    try {
      int admin = FIRST_ADMIN_PORT - 1;
      for (String gateway : gateways) {
        admin = nextFreePort(admin + 1);
        Path config = workDir.resolve("envoy-" + gateway + ".yaml");
        Path log = workDir.resolve("envoy-" + gateway + ".log");
        Files.writeString(
            config, EnvoyBootstrap.gateway(gateway, gateway + "-demo", xdsHost, xdsPort, admin), StandardCharsets.UTF_8);
        Process process =
            new ProcessBuilder(
                    envoy.toString(), "-c", config.toString(), "--base-id", Integer.toString(admin),
                    // Picks another base id if that one is taken (say, by an Envoy started by hand).
                    "--use-dynamic-base-id",
                    // A demo stops at once; there is no traffic worth draining.
                    "--drain-time-s", "1")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        started.add(new Running(gateway, admin, log, process));
      }
    } catch (IOException e) {
      new DemoEnvoys(started).close();
      throw e;
    }
    return new DemoEnvoys(started);
  }

  /** The first port from {@code from} nothing listens on (racy, but good enough for a demo). */
  private static int nextFreePort(int from) {
    for (int port = from; port < from + 100 && port <= 65535; port++) {
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException e) {
        // taken: try the next one
      }
    }
    return from;
  }

  List<Running> envoys() {
    return envoys;
  }

  /**
   * Waits until every Envoy says it is ready on its admin {@code /ready}, reporting each one
   * that exits (with the end of its log) or is still not ready after {@code timeout}.
   *
   * @return true when all are ready
   */
  boolean awaitReady(Duration timeout, PrintWriter err) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    boolean all = true;
    Instant deadline = Instant.now().plus(timeout);
    for (Running envoy : envoys) {
      boolean ready = false;
      while (!ready && envoy.process().isAlive() && Instant.now().isBefore(deadline)) {
        ready = isReady(http, envoy.adminPort());
        if (!ready) {
          Thread.sleep(200);
        }
      }
      if (!ready) {
        all = false;
        if (envoy.process().isAlive()) {
          err.println("meshgate: demo: envoy for gateway " + envoy.gateway() + " is not ready after " + timeout.toSeconds()
              + "s; its log: " + envoy.log());
        } else {
          err.println("meshgate: demo: envoy for gateway " + envoy.gateway() + " exited with code " + envoy.process().exitValue()
              + "; the end of its log (" + envoy.log() + "):");
          tail(envoy.log(), 15).forEach(line -> err.println("  " + line));
        }
        err.flush();
      }
    }
    return all;
  }

  private static boolean isReady(HttpClient http, int adminPort) throws InterruptedException {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  private static List<String> tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(cannot read the log: " + e.getMessage() + ")");
    }
  }

  /** SIGTERM, then SIGKILL for any Envoy still running after a few seconds. */
  @Override
  public void close() {
    envoys.forEach(e -> e.process().destroy());
    for (Running envoy : envoys) {
      try {
        if (!envoy.process().waitFor(5, TimeUnit.SECONDS)) {
          envoy.process().destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        envoy.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
