package dev.meshgate.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * One of the two xDS servers PeerComparison times, each its own process on loopback with plaintext
 * xDS: {@code meshgate serve} of this checkout, which compiles the policy on every change, or the
 * go-control-plane peer, which switches between resources Meshgate served before.
 */
sealed interface ComparedServer extends AutoCloseable
    permits ComparedServer.Meshgate, ComparedServer.Peer {

  String name();

  int xdsPort();

  /** The server's process, for its CPU time. */
  long pid();

  /**
   * Serves round {@code round}'s resources (the harness policy's timeouts alternate per round).
   * Returns once the change is handed over: the policy file renamed, or the peer's switch answered.
   */
  void change(int round) throws IOException, InterruptedException;

  /** Mean compile time (ms) of the changes since {@link #markCompiles}, if the server compiles. */
  OptionalDouble compileMsSinceMark() throws IOException, InterruptedException;

  void markCompiles() throws IOException, InterruptedException;

  @Override
  void close() throws InterruptedException;

  /** The harness policy with {@code backend}'s endpoints static (a serve process has no Consul). */
  static String policyText(HarnessPolicy policy, int round) {
    String consul = "source consul \"backend\"";
    String text = policy.text(round);
    if (!text.contains(consul)) {
      throw new IllegalStateException("the harness policy no longer reads backend from Consul");
    }
    return text.replace(consul, "source static 127.0.0.1:40000, 127.0.0.1:40001");
  }

  /** The peer's name for round {@code round}'s resources (rounds of one parity are the same). */
  static String versionOf(int round) {
    return "r" + (round % 2);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** {@code meshgate serve}, reload debounce 0: a change is the file event, compile and push. */
  final class Meshgate implements ComparedServer {
    private static final String COMPILE = "meshgate_policy_compile_duration_seconds";
    private final ServeProcess process;
    private final HarnessPolicy policy;
    private final Path policyDir;
    private final Path work;
    private final int xdsPort;
    private final HttpClient http;
    private ServeProcess.Totals mark = new ServeProcess.Totals(0, 0);

    private Meshgate(
        ServeProcess process,
        HarnessPolicy policy,
        Path policyDir,
        Path work,
        int xdsPort,
        HttpClient http) {
      this.process = process;
      this.policy = policy;
      this.policyDir = policyDir;
      this.work = work;
      this.xdsPort = xdsPort;
      this.http = http;
    }

    static Meshgate start(Path projectRoot, HarnessPolicy policy, Path work, HttpClient http)
        throws IOException, InterruptedException {
      Path policyDir = Files.createDirectories(work.resolve("policy"));
      Files.writeString(policyDir.resolve("load.mesh"), policyText(policy, 0));
      int xdsPort = freePort();
      ServeProcess process =
          ServeProcess.start(
              projectRoot,
              policyDir,
              work,
              xdsPort,
              freePort(),
              Duration.ZERO,
              http,
              Duration.ofSeconds(60));
      return new Meshgate(process, policy, policyDir, work, xdsPort, http);
    }

    @Override
    public String name() {
      return "meshgate";
    }

    @Override
    public int xdsPort() {
      return xdsPort;
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public void change(int round) throws IOException {
      Path tmp = work.resolve("load.mesh.tmp");
      Files.writeString(tmp, policyText(policy, round));
      Files.move(
          tmp,
          policyDir.resolve("load.mesh"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void markCompiles() throws IOException, InterruptedException {
      mark = ServeProcess.totals(http, process.admin("/metrics"), COMPILE, "");
    }

    @Override
    public OptionalDouble compileMsSinceMark() throws IOException, InterruptedException {
      OptionalDouble seconds =
          ServeProcess.totals(http, process.admin("/metrics"), COMPILE, "").meanSince(mark);
      return seconds.isPresent() ? OptionalDouble.of(seconds.getAsDouble() * 1000) : seconds;
    }

    @Override
    public void close() throws InterruptedException {
      process.close();
    }
  }

  /** benchmarks/peers/go-control-plane over an export of what Meshgate served. */
  final class Peer implements ComparedServer {
    private final Process process;
    private final int xdsPort;
    private final int adminPort;
    private final HttpClient http;

    private Peer(Process process, int xdsPort, int adminPort, HttpClient http) {
      this.process = process;
      this.xdsPort = xdsPort;
      this.adminPort = adminPort;
      this.http = http;
    }

    static Peer start(Path binary, Path export, Path work, HttpClient http)
        throws IOException, InterruptedException {
      int xdsPort = freePort();
      int adminPort = freePort();
      Path log = work.resolve("peer.log");
      Process process =
          new ProcessBuilder(
                  List.of(
                      binary.toString(),
                      "-dir",
                      export.toString(),
                      "-version",
                      versionOf(0),
                      "-xds-port",
                      Integer.toString(xdsPort),
                      "-admin-port",
                      Integer.toString(adminPort)))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Peer peer = new Peer(process, xdsPort, adminPort, http);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() - deadline < 0) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the peer exited: " + Files.readString(log));
        }
        try {
          HttpRequest ready = HttpRequest.newBuilder(peer.admin("/ready")).build();
          if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return peer;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(20);
      }
      peer.close();
      throw new IllegalStateException("the peer was not ready in 30 s; see " + log);
    }

    private URI admin(String path) {
      return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    @Override
    public String name() {
      return "go-control-plane";
    }

    @Override
    public int xdsPort() {
      return xdsPort;
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public void change(int round) throws IOException, InterruptedException {
      HttpRequest request =
          HttpRequest.newBuilder(admin("/switch?version=" + versionOf(round)))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("the peer refused the switch: " + response.body());
      }
    }

    @Override
    public void markCompiles() {}

    @Override
    public OptionalDouble compileMsSinceMark() {
      return OptionalDouble.empty();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
