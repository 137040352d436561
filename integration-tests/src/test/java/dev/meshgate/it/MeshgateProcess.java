package dev.meshgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@code meshgate serve} in its own JVM, started from this JVM's class path (which
 * holds the cli module and its dependencies), on free loopback ports.
 */
final class MeshgateProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final ChildProcess process;
  private final int xdsPort;
  private final int adminPort;

  private MeshgateProcess(ChildProcess process, int xdsPort, int adminPort) {
    this.process = process;
    this.xdsPort = xdsPort;
    this.adminPort = adminPort;
  }

  /** Starts serving {@code policy} (a file or directory) and waits until /healthz answers. */
  static MeshgateProcess start(Path policy, Path workDir) {
    int xdsPort = FreePorts.next();
    int adminPort = FreePorts.next();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A control plane under test needs no peak JIT; C1 only and a small heap leave the
    // two cores to Envoy and the test JVM.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add("dev.meshgate.cli.Meshgate");
    command.addAll(
        List.of(
            "serve",
            policy.toString(),
            "--xds-port", Integer.toString(xdsPort),
            "--admin-port", Integer.toString(adminPort),
            "--bind", "127.0.0.1"));
    String name = "meshgate-" + COUNTER.incrementAndGet();
    ChildProcess child =
        ChildProcess.start(name, command, workDir.resolve(name + ".log"), Duration.ofSeconds(10));
    MeshgateProcess meshgate = new MeshgateProcess(child, xdsPort, adminPort);
    try {
      Wait.until(
          START_TIMEOUT,
          name + " admin /healthz on port " + adminPort,
          () -> {
            child.requireAlive("while starting");
            return Http.get(meshgate.adminUrl("/healthz")).statusCode() == 200
                ? Optional.of(true)
                : Optional.empty();
          });
    } catch (AssertionError | RuntimeException e) {
      // A child that died has its log in the message already.
      String log = e instanceof ChildProcess.Died ? "" : "\nlog:\n" + child.tail(200);
      child.close();
      throw new AssertionError(name + " did not become healthy: " + e.getMessage() + log, e);
    }
    return meshgate;
  }

  int xdsPort() {
    return xdsPort;
  }

  int adminPort() {
    return adminPort;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return process.log();
  }

  String adminUrl(String path) {
    return "http://127.0.0.1:" + adminPort + path;
  }

  /** GET /status as JSON. */
  JsonNode status() {
    process.requireAlive("when asked for /status");
    HttpResponse<String> response = Http.get(adminUrl("/status"));
    if (response.statusCode() != 200) {
      throw new AssertionError("/status answered " + response.statusCode() + ": " + response.body());
    }
    return Http.json(response);
  }

  /** GET /metrics (Prometheus text). */
  String metrics() {
    process.requireAlive("when asked for /metrics");
    return Http.get(adminUrl("/metrics")).body();
  }

  /** The value of an unlabelled Prometheus sample, e.g. {@code meshgate_proxies_connected}. */
  Optional<Double> metric(String name) {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{} ")) {
        return Optional.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim()));
      }
    }
    return Optional.empty();
  }

  String logTail() {
    return process.tail(200);
  }

  @Override
  public void close() {
    process.close();
  }
}
