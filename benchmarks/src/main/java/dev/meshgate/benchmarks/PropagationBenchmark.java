package dev.meshgate.benchmarks;

import dev.meshgate.bootstrap.EnvoyBinary;
import dev.meshgate.bootstrap.EnvoyBootstrap;
import dev.meshgate.xds.MeshgateServer;
import dev.meshgate.xds.ServerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Policy edit → a real Envoy answers with the new route (issue 17.1): starts {@code bin/meshgate
 * serve} of this checkout as its own process (or, with {@code --in-process}, a {@link
 * MeshgateServer} in this JVM), plaintext xDS on loopback, and one real Envoy gateway bootstrapped
 * to it; then, per edit, writes the next policy (its route answers {@code v<N>}) to a file beside
 * the watched directory and moves it over the policy file atomically, and polls Envoy until it
 * answers the new body ({@link Poller}: one kept-alive connection, 1 ms between requests). The time
 * from the move to the first answer is the propagation time: the file event, the reload debounce if
 * any, the compile, the push and Envoy applying it. Edits are at least {@link #EDIT_SPACING} apart,
 * so one edit's reload and push are over before the next. Prints p50, p90, p99 and max, and from
 * the server's /metrics the mean compile time and the mean time from sending a route table to
 * Envoy's ACK of it.
 *
 * <p>{@code --settle 8s} waits that long once Envoy first answered, before the first edit: the
 * server's compiler warm-up ({@code CompilerWarmup}) then has finished, and the figures are those
 * of a server that has been up a while; without it the first edits meet a fresh server.
 *
 * <p>Bounded: {@code --edits} (default 30, at most 1000) edits, each given at most 10 s; stops by
 * itself, Envoy and the server included. Needs Envoy ({@code ENVOY_BIN}, {@code PATH} or {@code
 * .tools/bin}) and, without {@code --in-process}, the CLI built ({@code ./mvnw package}); run from
 * the checkout or set {@code -Dmeshgate.project.root} (whose {@code bin/meshgate} is the server
 * measured).
 *
 * <pre>
 * java -cp benchmarks/target/meshgate-benchmarks.jar dev.meshgate.benchmarks.PropagationBenchmark \
 *     --edits 30 [--settle 8s] [--debounce 0ms] [--in-process]
 * </pre>
 */
public final class PropagationBenchmark {
  private static final Duration EDIT_TIMEOUT = Duration.ofSeconds(10);

  /** From one edit's answer to the next edit: the server and Envoy are idle again by then. */
  static final Duration EDIT_SPACING = Duration.ofMillis(100);

  /** Below this many edits the p99 is just the maximum of a few samples. */
  private static final int MIN_EDITS_FOR_P99 = 20;

  private static final String COMPILE = "meshgate_policy_compile_duration_seconds";
  private static final String ACK = "meshgate_xds_push_latency_seconds";
  private static final String ROUTES = "type=\"routes\"";
  private static final String USAGE =
      "usage: PropagationBenchmark [--edits N] [--settle 8s] [--debounce 0ms] [--in-process]";

  private PropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int edits = 30;
    Duration debounce = ServerOptions.DEFAULT_DEBOUNCE;
    boolean inProcess = false;
    Duration settle = Duration.ZERO;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--edits" -> edits = Integer.parseInt(args[++i]);
          case "--debounce" -> debounce = dev.meshgate.compiler.Durations.parse(args[++i]);
          case "--in-process" -> inProcess = true;
          case "--settle" -> settle = dev.meshgate.compiler.Durations.parse(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (RuntimeException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      System.exit(2);
    }
    if (edits < 1 || edits > 1000) {
      System.err.println("--edits must be 1..1000");
      System.exit(2);
    }
    if (edits < MIN_EDITS_FOR_P99) {
      System.err.println("note: with fewer than " + MIN_EDITS_FOR_P99 + " edits p99 is the max");
    }
    System.exit(run(edits, debounce, settle, inProcess, System.out));
  }

  static int run(int edits, Duration debounce, Duration settle, boolean inProcess, PrintStream out)
      throws Exception {
    Path envoy =
        EnvoyBinary.find(Optional.of(Path.of("").toAbsolutePath()))
            .orElseThrow(() -> new IllegalStateException("no Envoy: run scripts/install-envoy.sh"));
    Path work = Files.createTempDirectory("meshgate-propagation");
    Path dir = Files.createDirectories(work.resolve("policy"));
    Path policy = dir.resolve("edge.mesh");
    int listenPort = freePort();
    Files.writeString(policy, policy(listenPort, 0), StandardCharsets.UTF_8);
    List<Long> nanos = new ArrayList<>();
    OptionalDouble compile;
    OptionalDouble ack;
    try (HttpClient http = HttpClient.newHttpClient();
        Server server = start(inProcess, dir, work, debounce, http);
        Poller poller = new Poller("127.0.0.1", listenPort)) {
      int adminPort = freePort();
      Path bootstrap = work.resolve("envoy.yaml");
      Files.writeString(
          bootstrap,
          EnvoyBootstrap.gateway("edge", "propagation", "127.0.0.1", server.xdsPort(), adminPort));
      Process process =
          new ProcessBuilder(
                  envoy.toString(),
                  "-c",
                  bootstrap.toString(),
                  "--use-dynamic-base-id",
                  "--concurrency",
                  "1",
                  "-l",
                  "error")
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("envoy.log").toFile())
              .start();
      try {
        poller.awaitBody("v0", System.nanoTime() + Duration.ofSeconds(30).toNanos());
        Thread.sleep(settle);
        URI metrics = URI.create("http://127.0.0.1:" + server.adminPort() + "/metrics");
        ServeProcess.Totals compiles = ServeProcess.totals(http, metrics, COMPILE, "");
        ServeProcess.Totals acks = ServeProcess.totals(http, metrics, ACK, ROUTES);
        for (int n = 1; n <= edits; n++) {
          // Written outside the watched directory: writing it there would be a file event of its
          // own, a reload of the old text under way when the move comes.
          Path next = work.resolve("edge.mesh.next");
          Files.writeString(next, policy(listenPort, n), StandardCharsets.UTF_8);
          long start = System.nanoTime();
          Files.move(next, policy, StandardCopyOption.ATOMIC_MOVE);
          long seen = poller.awaitBody("v" + n, start + EDIT_TIMEOUT.toNanos());
          nanos.add(seen - start);
          Thread.sleep(EDIT_SPACING);
        }
        compile = ServeProcess.totals(http, metrics, COMPILE, "").meanSince(compiles);
        ack = ServeProcess.totals(http, metrics, ACK, ROUTES).meanSince(acks);
      } finally {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
    nanos.sort(null);
    out.printf(
        Locale.ROOT,
        "policy edit -> real Envoy answers (%s, debounce %d ms, settle %d ms, %d edits):"
            + " p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        inProcess ? "in-process server" : "meshgate serve process",
        debounce.toMillis(),
        settle.toMillis(),
        nanos.size(),
        ms(percentile(nanos, 50)),
        ms(percentile(nanos, 90)),
        ms(percentile(nanos, 99)),
        ms(nanos.getLast()));
    out.printf(
        Locale.ROOT,
        "server means over the edits: compile %s, route table sent -> Envoy ACK %s%n",
        millis(compile),
        millis(ack));
    return 0;
  }

  /** The server under test, in this JVM or a process of its own. */
  private interface Server extends AutoCloseable {
    int xdsPort();

    int adminPort();
  }

  private static Server start(
      boolean inProcess, Path dir, Path work, Duration debounce, HttpClient http) throws Exception {
    if (inProcess) {
      MeshgateServer server =
          MeshgateServer.start(
              ServerOptions.loopback(List.of(dir), work.resolve("ca"))
                  .withInsecureXds(true)
                  .withReloadDebounce(debounce));
      return new Server() {
        @Override
        public int xdsPort() {
          return server.xdsPort();
        }

        @Override
        public int adminPort() {
          return server.adminPort();
        }

        @Override
        public void close() {
          server.close();
        }
      };
    }
    int xdsPort = freePort();
    ServeProcess serve =
        ServeProcess.start(
            Policies.projectRoot(),
            dir,
            work,
            xdsPort,
            freePort(),
            debounce,
            http,
            Duration.ofSeconds(60));
    return new Server() {
      @Override
      public int xdsPort() {
        return xdsPort;
      }

      @Override
      public int adminPort() {
        return serve.adminPort();
      }

      @Override
      public void close() throws InterruptedException {
        serve.close();
      }
    };
  }

  private static String millis(OptionalDouble seconds) {
    return seconds.isPresent()
        ? String.format(Locale.ROOT, "%.2f ms", seconds.getAsDouble() * 1000)
        : "n/a";
  }

  private static String policy(int port, int version) {
    return "gateway edge {\n  listen 127.0.0.1:"
        + port
        + "\n  host \"*\" { route /** { respond 200 \"v"
        + version
        + "\" } }\n}\n";
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
