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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * to it; then, per edit, replaces the policy file atomically with one whose route answers {@code
 * v<N>} and polls Envoy until it does. The time from the rename to the first answer is the
 * propagation time: the file event, the reload debounce if any, the compile, the push and Envoy
 * applying it. Prints p50, p90, p99 and max, and from the server's /metrics the mean compile time
 * and the mean time from sending a route table to Envoy's ACK of it.
 *
 * <p>Bounded: {@code --edits} (default 30, at most 1000) edits, each given at most 10 s; stops by
 * itself, Envoy and the server included. Needs Envoy ({@code ENVOY_BIN}, {@code PATH} or {@code
 * .tools/bin}) and, without {@code --in-process}, the CLI built ({@code ./mvnw package}); run from
 * the checkout or set {@code -Dmeshgate.project.root}.
 *
 * <pre>
 * java -cp benchmarks/target/meshgate-benchmarks.jar dev.meshgate.benchmarks.PropagationBenchmark \
 *     --edits 30 [--debounce 0ms] [--in-process]
 * </pre>
 */
public final class PropagationBenchmark {
  private static final Duration EDIT_TIMEOUT = Duration.ofSeconds(10);
  private static final String COMPILE = "meshgate_policy_compile_duration_seconds";
  private static final String ACK = "meshgate_xds_push_latency_seconds";
  private static final String ROUTES = "type=\"routes\"";
  private static final String USAGE =
      "usage: PropagationBenchmark [--edits N] [--debounce 0ms] [--in-process]";

  private PropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int edits = 30;
    Duration debounce = ServerOptions.DEFAULT_DEBOUNCE;
    boolean inProcess = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--edits" -> edits = Integer.parseInt(args[++i]);
          case "--debounce" -> debounce = dev.meshgate.compiler.Durations.parse(args[++i]);
          case "--in-process" -> inProcess = true;
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
    System.exit(run(edits, debounce, inProcess, System.out));
  }

  static int run(int edits, Duration debounce, boolean inProcess, PrintStream out)
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
        Server server = start(inProcess, dir, work, debounce, http)) {
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
        URI uri = URI.create("http://127.0.0.1:" + listenPort + "/");
        awaitBody(http, uri, "v0", System.nanoTime() + Duration.ofSeconds(30).toNanos());
        URI metrics = URI.create("http://127.0.0.1:" + server.adminPort() + "/metrics");
        ServeProcess.Totals compiles = ServeProcess.totals(http, metrics, COMPILE, "");
        ServeProcess.Totals acks = ServeProcess.totals(http, metrics, ACK, ROUTES);
        for (int n = 1; n <= edits; n++) {
          Path next = dir.resolve(".edge.mesh.tmp");
          Files.writeString(next, policy(listenPort, n), StandardCharsets.UTF_8);
          long start = System.nanoTime();
          Files.move(next, policy, StandardCopyOption.ATOMIC_MOVE);
          long seen = awaitBody(http, uri, "v" + n, start + EDIT_TIMEOUT.toNanos());
          nanos.add(seen - start);
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
        "policy edit -> real Envoy answers (%s, debounce %d ms, %d edits): p50 %.1f ms,"
            + " p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        inProcess ? "in-process server" : "meshgate serve process",
        debounce.toMillis(),
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

  /** Polls until {@code uri} answers {@code body}; returns when it first did. */
  private static long awaitBody(HttpClient http, URI uri, String body, long deadline)
      throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.body().equals(body)) {
          return System.nanoTime();
        }
      } catch (IOException e) {
        Thread.sleep(5); // the listener is not there yet
      }
    }
    throw new IllegalStateException("Envoy did not answer " + body + " in time");
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
