package dev.meshgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@code meshgate serve} in its own JVM, started from this JVM's class path (which holds the
 * cli module and its dependencies), on free loopback ports.
 *
 * <p>Secure by default, as the product is: xDS over TLS with client certificates, and a CA of its
 * own in a fresh directory ({@code --ca-dir}) that {@link Bootstraps} issues Envoy credentials
 * from. Only a test about the development flag passes {@code --insecure-xds}.
 */
final class MeshgateProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** The development flag that turns xDS back into plaintext without client certificates. */
  static final String INSECURE_XDS = "--insecure-xds";

  private final ChildProcess process;
  private final List<String> command;
  private final Path workDir;
  private final int xdsPort;
  private final int adminPort;
  private final Path caDir;
  private final boolean insecureXds;

  private MeshgateProcess(
      ChildProcess process,
      List<String> command,
      Path workDir,
      int xdsPort,
      int adminPort,
      Path caDir,
      boolean insecureXds) {
    this.process = process;
    this.command = List.copyOf(command);
    this.workDir = workDir;
    this.xdsPort = xdsPort;
    this.adminPort = adminPort;
    this.caDir = caDir;
    this.insecureXds = insecureXds;
  }

  /**
   * Starts serving {@code policy} (a file or directory) with a new CA under {@code workDir}, plus
   * {@code extraArgs} (e.g. {@code --cert-ttl 2m}), and waits until /healthz answers.
   */
  static MeshgateProcess start(Path policy, Path workDir, String... extraArgs) {
    return start(policy, workDir, List.of(), extraArgs);
  }

  /**
   * As {@link #start(Path, Path, String...)}, with {@code jvmOptions} (e.g. {@code
   * -Dkubernetes.master=…}, which fabric8's client reads) on the server JVM's command line.
   */
  static MeshgateProcess start(
      Path policy, Path workDir, List<String> jvmOptions, String... extraArgs) {
    return start(policy, workDir, jvmOptions, Optional.empty(), extraArgs);
  }

  /**
   * Another replica beside {@code first}: the same policy, the same CA directory (as replicas share
   * one CA, from a mounted directory or a Kubernetes Secret), its own ports.
   */
  static MeshgateProcess startReplica(MeshgateProcess first, Path policy, String... extraArgs) {
    return start(policy, first.workDir, List.of(), Optional.of(first.caDir), extraArgs);
  }

  /**
   * Serves the bundle at {@code bundle} (a file or URL: {@code serve --bundle}) instead of PATHs.
   */
  static MeshgateProcess startBundle(String bundle, Path workDir, String... extraArgs) {
    return start(List.of("--bundle", bundle), workDir, List.of(), Optional.empty(), extraArgs);
  }

  private static MeshgateProcess start(
      Path policy,
      Path workDir,
      List<String> jvmOptions,
      Optional<Path> sharedCaDir,
      String... extraArgs) {
    return start(List.of(policy.toString()), workDir, jvmOptions, sharedCaDir, extraArgs);
  }

  private static MeshgateProcess start(
      List<String> policyArgs,
      Path workDir,
      List<String> jvmOptions,
      Optional<Path> sharedCaDir,
      String... extraArgs) {
    int n = COUNTER.incrementAndGet();
    String name = "meshgate-" + n;
    Path caDir = sharedCaDir.orElse(workDir.resolve(name + "-ca"));
    boolean insecure = List.of(extraArgs).contains(INSECURE_XDS);
    int xdsPort = FreePorts.next();
    int adminPort = FreePorts.next();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A control plane under test needs no peak JIT; C1 only and a small heap leave the
    // two cores to Envoy and the test JVM.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add("dev.meshgate.cli.Meshgate");
    command.addAll(
        List.of(
            "serve",
            "--xds-port",
            Integer.toString(xdsPort),
            "--admin-port",
            Integer.toString(adminPort),
            "--bind",
            "127.0.0.1",
            // Never the default .meshgate/ca of the working directory: each server its own CA.
            "--ca-dir",
            caDir.toString()));
    command.addAll(policyArgs);
    command.addAll(List.of(extraArgs));
    return launch(name, command, workDir, xdsPort, adminPort, caDir, insecure);
  }

  /**
   * Kills this server with SIGKILL (no shutdown hook runs) and starts the same command again: same
   * ports, same CA directory, same policy. Returns the new server once /healthz answers.
   */
  MeshgateProcess killAndRestart() {
    ProcessHandle.of(process.pid())
        .ifPresent(p -> {
          p.destroyForcibly();
          p.onExit().join();
        });
    return startAgain();
  }

  /**
   * Starts the same command again once this server has exited (a rolling restart): same ports, same
   * CA directory, same policy. Returns the new server once /healthz answers.
   */
  MeshgateProcess startAgain() {
    process.close();
    String name = "meshgate-" + COUNTER.incrementAndGet();
    return launch(name, command, workDir, xdsPort, adminPort, caDir, insecureXds);
  }

  private static MeshgateProcess launch(
      String name,
      List<String> command,
      Path workDir,
      int xdsPort,
      int adminPort,
      Path caDir,
      boolean insecure) {
    ChildProcess child =
        ChildProcess.start(name, command, workDir.resolve(name + ".log"), Duration.ofSeconds(10));
    MeshgateProcess meshgate =
        new MeshgateProcess(child, command, workDir, xdsPort, adminPort, caDir, insecure);
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

  /** Where this server's CA lives (ca.crt, ca.key); proxy credentials are issued from it. */
  Path caDir() {
    return caDir;
  }

  /** True when started with {@code --insecure-xds}: Envoys then connect without TLS. */
  boolean insecureXds() {
    return insecureXds;
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
      throw new AssertionError(
          "/status answered " + response.statusCode() + ": " + response.body());
    }
    return Http.json(response);
  }

  /** GET /metrics (Prometheus text). */
  String metrics() {
    process.requireAlive("when asked for /metrics");
    return Http.get(adminUrl("/metrics")).body();
  }

  /**
   * The sum of every sample of {@code name}, whatever its labels (e.g. all reasons of {@code
   * meshgate_xds_refused_total}); 0 when there is none.
   */
  double metricSum(String name) {
    double sum = 0;
    for (String line : metrics().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return sum;
  }

  /** The whole log so far (for asserting that something was logged). */
  String logText() {
    try {
      return Files.readString(process.log());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
