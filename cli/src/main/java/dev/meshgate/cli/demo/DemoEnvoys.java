package dev.meshgate.cli.demo;

import dev.meshgate.bootstrap.BootstrapOptions;
import dev.meshgate.bootstrap.EnvoyBootstrap;
import dev.meshgate.bootstrap.ProxyRole;
import dev.meshgate.bootstrap.XdsTls;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.XdsClientTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Real Envoy processes for the demo, one per gateway and one per sidecar, each bootstrapped at the
 * running xDS server with its own xDS client credentials (from the server's CA, so it gets exactly
 * its group). Admin ports are the free ones counting up from {@link #FIRST_ADMIN_PORT}; the base id
 * follows the admin port so the Envoys (and one started by hand) do not collide. Bootstrap files
 * hold private keys: they are written owner-only.
 */
final class DemoEnvoys implements AutoCloseable {
  static final int FIRST_ADMIN_PORT = 9901;

  /** One Envoy to start: a gateway or a service's sidecar. */
  record Proxy(ProxyRole role, String name) {
    ProxyGroup group() {
      return role == ProxyRole.GATEWAY
          ? ProxyGroup.gateway(name)
          : new ProxyGroup(ProxyGroup.Role.SIDECAR, name);
    }

    /**
     * {@code edge} for a gateway, {@code sidecar-orders} for a sidecar: bootstrap and log file
     * names.
     */
    String fileStem() {
      return role == ProxyRole.GATEWAY ? name : "sidecar-" + name;
    }

    @Override
    public String toString() {
      return role.label() + " " + name;
    }
  }

  record Running(Proxy proxy, int adminPort, Path log, Process process, Path config) {}

  private final List<Running> envoys;

  private DemoEnvoys(List<Running> envoys) {
    this.envoys = List.copyOf(envoys);
  }

  static DemoEnvoys start(
      Path envoy,
      List<Proxy> proxies,
      String xdsHost,
      int xdsPort,
      Optional<Path> caDir,
      Path workDir)
      throws IOException {
    List<Running> started = new ArrayList<>();
    try {
      Optional<CertificateAuthority> ca =
          caDir.isEmpty()
              ? Optional.empty()
              : Optional.of(CertificateAuthority.loadOrCreate(caDir.get()));
      int admin = FIRST_ADMIN_PORT - 1;
      for (Proxy proxy : proxies) {
        admin = nextFreePort(admin + 1);
        Path config = workDir.resolve("envoy-" + proxy.fileStem() + ".yaml");
        Path log = workDir.resolve("envoy-" + proxy.fileStem() + ".log");
        BootstrapOptions options =
            proxy.role() == ProxyRole.GATEWAY
                ? BootstrapOptions.gateway(
                    proxy.name(), proxy.name() + "-demo", xdsHost, xdsPort, admin)
                : BootstrapOptions.sidecar(
                    proxy.name(), proxy.name() + "-sidecar-demo", xdsHost, xdsPort, admin);
        if (ca.isPresent()) {
          XdsClientTls tls =
              ProxyCredentials.issue(ca.get(), proxy.group(), ProxyCredentials.DEFAULT_TTL);
          options = options.withTls(new XdsTls(tls.caPem(), tls.certPem(), tls.keyPem()));
        }
        writePrivate(config, EnvoyBootstrap.render(options));
        Process process =
            new ProcessBuilder(
                    envoy.toString(),
                    "-c",
                    config.toString(),
                    "--base-id",
                    Integer.toString(admin),
                    // Picks another base id if that one is taken (say, by an Envoy started by
                    // hand).
                    "--use-dynamic-base-id",
                    // A demo stops at once; there is no traffic worth draining.
                    "--drain-time-s",
                    "1")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        started.add(new Running(proxy, admin, log, process, config));
      }
    } catch (IOException | RuntimeException e) {
      new DemoEnvoys(started).close();
      throw e;
    }
    return new DemoEnvoys(started);
  }

  /** A file only its owner can read: a bootstrap with TLS holds a private key. */
  private static void writePrivate(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
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
   * Waits until every Envoy says it is ready on its admin {@code /ready}, reporting each one that
   * exits (with the end of its log) or is still not ready after {@code timeout}.
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
          err.println(
              "meshgate: demo: envoy for "
                  + envoy.proxy()
                  + " is not ready after "
                  + timeout.toSeconds()
                  + "s; its log: "
                  + envoy.log());
        } else {
          err.println(
              "meshgate: demo: envoy for "
                  + envoy.proxy()
                  + " exited with code "
                  + envoy.process().exitValue()
                  + "; the end of its log ("
                  + envoy.log()
                  + "):");
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

  /**
   * SIGTERM, then SIGKILL for any Envoy still running after a few seconds; then the bootstrap files
   * go (they hold private keys), the logs stay for reading.
   */
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
      try {
        Files.deleteIfExists(envoy.config());
      } catch (IOException e) {
        // best effort: the file is owner-only in a private temporary directory anyway
      }
    }
  }
}
