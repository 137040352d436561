package dev.meshgate.discovery.testing;

import dev.meshgate.discovery.consul.ConsulSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code consul agent -dev} on loopback, every port chosen free, for tests. Found like
 * Envoy: {@code CONSUL_BIN}, then {@code consul} on {@code PATH}, then {@code
 * <project>/.tools/bin/consul} (installed by {@code scripts/install-consul.sh}). Missing: the test
 * is skipped with how to get one, except under {@code CI=true}, where that fails.
 *
 * <p>Shared test support: discovery-adapters' Consul tests and integration-tests' {@code ConsulIT}
 * and {@code ExamplesServeIT} use it, the latter through this module's test-jar.
 */
public final class ConsulDevAgent implements AutoCloseable {
  private final Path binary;
  private final Path log;
  private final int httpPort;
  private final int serfLan;
  private final int serfWan;
  private final int server;
  private final String zone;
  private Process process;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ConsulDevAgent(Path binary, String zone) throws IOException {
    this.binary = binary;
    this.zone = zone;
    this.log = Files.createTempFile("consul-agent", ".log");
    int[] ports = freePorts(4);
    httpPort = ports[0];
    serfLan = ports[1];
    serfWan = ports[2];
    server = ports[3];
  }

  /**
   * Starts an agent whose node has metadata {@code zone=<zone>}, once its API answers with a
   * leader.
   */
  public static ConsulDevAgent start(String zone) throws IOException, InterruptedException {
    ConsulDevAgent agent = new ConsulDevAgent(binary(), zone);
    agent.startProcess();
    return agent;
  }

  public String address() {
    return "127.0.0.1:" + httpPort;
  }

  public ConsulSettings settings() {
    return ConsulSettings.of(address())
        .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
        .withBlockingWait(Duration.ofSeconds(30));
  }

  public void startProcess() throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "agent",
                "-dev",
                "-bind=127.0.0.1",
                "-client=127.0.0.1",
                "-node=meshgate-test",
                "-node-meta=zone:" + zone,
                "-datacenter=dc1",
                "-http-port=" + httpPort,
                "-serf-lan-port=" + serfLan,
                "-serf-wan-port=" + serfWan,
                "-server-port=" + server,
                "-dns-port=-1",
                "-grpc-port=-1",
                "-grpc-tls-port=-1",
                "-log-level=warn"));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("consul exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> r = get("/v1/status/leader");
        if (r.statusCode() == 200 && r.body().contains(":")) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("consul did not get ready in 30 s: " + Files.readString(log));
  }

  /** Kills the agent (dev mode: every registration is lost). */
  public void stopProcess() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Registers a service instance on this agent; {@code ttl} adds a TTL check that starts passing.
   */
  public void register(
      String id,
      String name,
      int port,
      List<String> tags,
      Map<String, String> meta,
      Optional<String> ttl)
      throws IOException, InterruptedException {
    String check =
        ttl.map(t ->
                ",\"Check\":{\"CheckID\":\""
                    + id
                    + "-ttl\",\"TTL\":\""
                    + t
                    + "\",\"Status\":\"passing\"}")
            .orElse("");
    String body =
        "{\"ID\":\""
            + id
            + "\",\"Name\":\""
            + name
            + "\",\"Address\":\"127.0.0.1\",\"Port\":"
            + port
            + ",\"Tags\":["
            + tags.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","))
            + "],\"Meta\":{"
            + meta.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(","))
            + "}"
            + check
            + "}";
    put("/v1/agent/service/register", body);
  }

  public void register(String id, String name, int port) throws IOException, InterruptedException {
    register(id, name, port, List.of(), Map.of(), Optional.empty());
  }

  public void deregister(String id) throws IOException, InterruptedException {
    put("/v1/agent/service/deregister/" + id, "");
  }

  public void failCheck(String serviceId) throws IOException, InterruptedException {
    put("/v1/agent/check/fail/" + serviceId + "-ttl", "");
  }

  public void passCheck(String serviceId) throws IOException, InterruptedException {
    put("/v1/agent/check/pass/" + serviceId + "-ttl", "");
  }

  private void put(String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("PUT " + path + " -> " + r.statusCode() + ": " + r.body());
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .timeout(Duration.ofSeconds(2))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopProcess();
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // temp file
    }
  }

  /** The consul binary, or the test is skipped (failed under CI=true) with how to get one. */
  public static Path binary() {
    Optional<Path> found = find();
    if (found.isEmpty()) {
      String how =
          "no consul binary: set CONSUL_BIN, put consul on PATH, or run scripts/install-consul.sh"
              + " (builds it from the Go module proxy into .tools/bin/consul)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(how + " (CI=true: integration tests must not be skipped)");
      }
      Assumptions.abort(how);
    }
    return found.get();
  }

  public static Optional<Path> find() {
    String env = System.getenv("CONSUL_BIN");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(Files::isExecutable);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, "consul");
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    Path root = Path.of(System.getProperty("meshgate.project.root", "..")).toAbsolutePath();
    for (Path dir = root; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(".tools/bin/consul");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
