package dev.meshgate.benchmarks;

import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.MeshgateServer;
import dev.meshgate.xds.PolicyRejectedException;
import dev.meshgate.xds.ServerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A bounded xDS load test: starts a {@link MeshgateServer} on loopback and N simulated Envoys
 * ({@link SimulatedEnvoy}: ADS streams that subscribe to CDS, EDS, LDS and RDS and ACK), and
 * measures
 *
 * <ol>
 *   <li>the server's start (compile included) and the time until every proxy has all four types;
 *   <li>per round, a <b>policy edit</b> (every call and the gateway's backend route get another
 *       timeout: a new RDS version for every group) and an <b>endpoint change</b> (one more
 *       endpoint of service {@code backend}, which every group has a cluster of: a new EDS version
 *       for every group): the time from the change until every proxy has the new version
 *       ("fan-out"), and the heap after each.
 * </ol>
 *
 * The policy is one gateway and S services with sidecars (strict mTLS, {@code call} to {@code
 * backend}); proxies are spread round robin over the S + 1 groups, each group's streams over its
 * own channel(s). xDS is mutual TLS with credentials from the server's CA, as bootstrapped Envoys
 * use it, unless {@code --insecure}.
 *
 * <p>{@code --shape realistic} serves a {@link RealisticMesh} instead (each service calling about
 * ten others, endpoints from the catalog), times the policy edits only, then churns endpoints
 * ({@link EndpointChurn}: change → EDS ACK per proxy); {@code --delta} puts a fraction of the
 * proxies on delta xDS, and {@code --reconnect-storm} closes every stream at once at the end and
 * times the reconnection. The result also has the heap per proxy.
 *
 * <p>Bounded: a fixed number of proxies and rounds, every wait ends at {@code --duration} after the
 * start, and the run stops by itself (exit 1 when something did not complete in time). Loopback
 * only. By default the server and the simulated proxies share this JVM, so the heap figures include
 * the clients; {@code --server-process} runs the server in a JVM of its own ({@link ForkedServer}),
 * whose heap and CPU are then the server's alone.
 *
 * <pre>
 * java -cp benchmarks/target/meshgate-benchmarks.jar dev.meshgate.benchmarks.XdsLoadHarness \
 *     --proxies 200 --duration 30s
 * </pre>
 */
public final class XdsLoadHarness {

  /** What to run. */
  public record Options(
      int proxies,
      Duration duration,
      int services,
      int rounds,
      int channelsPerGroup,
      boolean insecure,
      Duration debounce,
      Shape shape,
      double deltaFraction,
      int reconnectStorms,
      ServerJvm serverJvm,
      Duration settle) {
    public Options {
      if (proxies < 1 || proxies > 10_000) {
        throw new IllegalArgumentException("--proxies must be 1..10000: " + proxies);
      }
      if (services < 1 || services > 10_000) {
        throw new IllegalArgumentException("--services must be 1..10000: " + services);
      }
      if (rounds < 0 || rounds > 100) {
        throw new IllegalArgumentException("--rounds must be 0..100: " + rounds);
      }
      if (channelsPerGroup < 1 || channelsPerGroup > 64) {
        throw new IllegalArgumentException(
            "--channels-per-group must be 1..64: " + channelsPerGroup);
      }
      if (duration.isNegative()
          || duration.isZero()
          || duration.compareTo(Duration.ofMinutes(30)) > 0) {
        throw new IllegalArgumentException(
            "--duration must be more than 0 and at most 30m: " + duration);
      }
      if (settle.isNegative() || settle.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("--settle must be 0s..5m: " + settle);
      }
      if (reconnectStorms < 0 || reconnectStorms > 10) {
        throw new IllegalArgumentException("--reconnect-storms must be 0..10: " + reconnectStorms);
      }
      if (!(deltaFraction >= 0 && deltaFraction <= 1)) {
        throw new IllegalArgumentException("--delta must be 0..1: " + deltaFraction);
      }
      if (shape instanceof Shape.Realistic && services < 2) {
        throw new IllegalArgumentException("--shape realistic needs --services 2 or more");
      }
      if (shape instanceof Shape.Realistic r && r.edit() == Edit.ONE && rounds > services) {
        throw new IllegalArgumentException(
            "--edit one edits one more service per round: --rounds must be at most --services");
      }
    }

    /** The server in the harness's JVM. */
    public Options(
        int proxies,
        Duration duration,
        int services,
        int rounds,
        int channelsPerGroup,
        boolean insecure,
        Duration debounce,
        Shape shape,
        double deltaFraction,
        boolean reconnectStorm) {
      this(
          proxies,
          duration,
          services,
          rounds,
          channelsPerGroup,
          insecure,
          debounce,
          shape,
          deltaFraction,
          reconnectStorm ? 1 : 0,
          ServerJvm.inProcess(),
          Duration.ZERO);
    }

    /** The first baseline's options: the simple shape, state of the world, no storm. */
    public Options(
        int proxies,
        Duration duration,
        int services,
        int rounds,
        int channelsPerGroup,
        boolean insecure,
        Duration debounce) {
      this(
          proxies,
          duration,
          services,
          rounds,
          channelsPerGroup,
          insecure,
          debounce,
          new Shape.Simple(),
          0,
          false);
    }

    /** Whether the run ends with a reconnect storm (or several). */
    boolean reconnectStorm() {
      return reconnectStorms > 0;
    }

    /** Whether proxy {@code i} speaks delta xDS: spread evenly, {@code deltaFraction} of them. */
    boolean delta(int i) {
      return Math.floor((i + 1) * deltaFraction) > Math.floor(i * deltaFraction);
    }

    static Options defaults() {
      return new Options(
          200, Duration.ofSeconds(30), 20, 3, 1, false, ServerOptions.DEFAULT_DEBOUNCE);
    }

    /**
     * The options {@code args} name, the defaults for the rest.
     *
     * @throws IllegalArgumentException with the usage, for {@code --help} or a bad option
     */
    static Options parse(String... args) {
      return HarnessCommandLine.parse(args);
    }
  }

  /**
   * Where the server runs: in the harness's JVM ({@code own} false: the first design), or in a JVM
   * of its own ({@code --server-process}), with {@code -Xmx} {@code maxHeap} when given; and where
   * to write the server's class histograms (idle, then all proxies connected), when asked.
   */
  public record ServerJvm(boolean own, Optional<String> maxHeap, Optional<Path> histograms) {
    public ServerJvm {
      if (maxHeap.isPresent() && !own) {
        throw new IllegalArgumentException("--server-xmx needs --server-process");
      }
    }

    public static ServerJvm inProcess() {
      return new ServerJvm(false, Optional.empty(), Optional.empty());
    }

    public static ServerJvm forked() {
      return new ServerJvm(true, Optional.empty(), Optional.empty());
    }
  }

  /** The mesh the harness serves. */
  public sealed interface Shape {
    /** S sidecars that each call {@code backend}, a gateway routing to all: the first baseline. */
    record Simple() implements Shape {}

    /**
     * S sidecars each calling {@code calls} others (picked with {@code seed}), {@code
     * endpointsPerService} endpoints each from the catalog, {@code churnPercent} of all endpoints
     * replaced per second for {@code churn} (see {@link RealisticMesh}, {@link EndpointChurn}); the
     * policy in one file, or with {@code filePerService} one file per service as teams keep them
     * ({@link RealisticMesh#files}).
     */
    record Realistic(
        int calls,
        int endpointsPerService,
        double churnPercent,
        Duration churn,
        long seed,
        Edit edit,
        boolean filePerService)
        implements Shape {
      public Realistic {
        if (calls < 1 || endpointsPerService < 1 || endpointsPerService > 100) {
          throw new IllegalArgumentException(
              "--calls must be 1 or more, --endpoints 1..100: "
                  + calls
                  + ", "
                  + endpointsPerService);
        }
        if (!(churnPercent >= 0 && churnPercent <= 100) || churn.isNegative()) {
          throw new IllegalArgumentException(
              "--churn-percent must be 0..100 and --churn not negative: " + churnPercent);
        }
      }

      public Realistic(
          int calls, int endpointsPerService, double churnPercent, Duration churn, long seed) {
        this(calls, endpointsPerService, churnPercent, churn, seed, Edit.ALL);
      }

      /** The policy in one file. */
      public Realistic(
          int calls,
          int endpointsPerService,
          double churnPercent,
          Duration churn,
          long seed,
          Edit edit) {
        this(calls, endpointsPerService, churnPercent, churn, seed, edit, false);
      }

      static Realistic defaults() {
        return new Realistic(10, 3, 1.0, Duration.ofSeconds(10), 17);
      }
    }
  }

  /**
   * What a realistic round's policy edit changes: {@code ALL} every call's timeout (every group's
   * routes, the worst case), {@code ONE} the calls of one more service (round r: service r − 1), so
   * one group's routes change, as most real edits do; its proxies are timed, and the others are
   * counted if they get a new route table too (they should not).
   */
  enum Edit {
    ALL,
    ONE
  }

  /**
   * The endpoint churn: {@code changes} endpoint replacements over {@code seconds}; each one is
   * expected by every proxy whose EDS has that service ({@code expected}); {@code acked} of them
   * arrived (p50/p99/max in ms after the change), {@code superseded} were replaced by a newer
   * change of the same service first, {@code pending} never arrived before the deadline.
   */
  public record Churn(
      int changes,
      int endpoints,
      double seconds,
      long expected,
      long acked,
      long superseded,
      long pending,
      double p50Ms,
      double p99Ms,
      double maxMs) {
    public boolean complete() {
      return pending == 0 && acked + superseded == expected;
    }
  }

  /**
   * Every stream closed at once (its channels shut down) and opened again with no state: how many
   * proxies had all four types again, in ms after the storm began (retries included), how many
   * proxies' new streams failed ({@code refused}), and how many streams were opened again after an
   * error ({@code reopened}, after Envoy's backoff).
   */
  public record Storm(
      int reconnected,
      int expected,
      int refused,
      int reopened,
      double p50Ms,
      double p99Ms,
      double allMs) {
    /** Every proxy was served again (a refused stream that was opened again and served counts). */
    public boolean complete() {
      return reconnected == expected;
    }
  }

  /** One timed change: how many proxies got it, and when, in ms after the change. */
  public record Fanout(
      String what,
      int updated,
      int expected,
      double p50Ms,
      double p99Ms,
      double maxMs,
      long heapBytes,
      int bystanders) {
    public boolean complete() {
      return updated == expected;
    }
  }

  /** Everything a run measured. */
  public record Result(
      Options options,
      int groups,
      double serverStartMs,
      int served,
      double allServedMs,
      double servedP50Ms,
      double servedP99Ms,
      long heapBaselineBytes,
      long heapServedBytes,
      List<Fanout> changes,
      Map<String, Map<String, Integer>> resourcesByProxy,
      long responses,
      List<String> failures,
      long heapIdleBytes,
      Optional<Churn> churn,
      Optional<Storm> storm,
      int streamsReopened) {

    /**
     * Every proxy had all four types, every change reached every proxy, no stream is failed or
     * waiting to be opened again at the end (one opened again after an error and served is not a
     * failure: {@code streamsReopened} counts them), and the churn and the storm (when run)
     * completed.
     */
    public boolean complete() {
      int changesPerRound = options.shape() instanceof Shape.Simple ? 2 : 1;
      return served == options.proxies()
          && changes.size() == changesPerRound * options.rounds()
          && changes.stream().allMatch(Fanout::complete)
          && failures.isEmpty()
          && churn.map(Churn::complete).orElse(true)
          && storm.map(Storm::complete).orElse(true);
    }

    /**
     * Heap per proxy: what the connected proxies added to the idle server's heap, over the proxies.
     * With the server in the harness's JVM the simulated clients share its heap, so this is an
     * upper bound of the server's own; with {@code --server-process} it is the server's.
     */
    public long heapPerProxyBytes() {
      return Math.max(0, heapServedBytes - heapIdleBytes) / Math.max(1, served);
    }
  }

  private final Options options;
  private final PrintStream log;

  public XdsLoadHarness(Options options, PrintStream log) {
    this.options = options;
    this.log = log;
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int exit;
    try {
      Result result = new XdsLoadHarness(options, System.out).run();
      HarnessReport.print(result, System.out);
      exit = result.complete() ? 0 : 1;
    } catch (Exception e) {
      e.printStackTrace();
      exit = 3;
    }
    System.exit(exit); // gRPC and the server's executors are not all daemon threads
  }

  public Result run() throws IOException, PolicyRejectedException, InterruptedException {
    long deadline = System.nanoTime() + options.duration().toNanos();
    Path work = Files.createTempDirectory("meshgate-load-");
    Path policyDir = Files.createDirectories(work.resolve("policy"));
    Path caDir = work.resolve("ca");
    HarnessPolicy policy = new HarnessPolicy(options.services(), options.shape());
    policy.write(policyDir, work, 0);
    long compileNanos = System.nanoTime();
    policy.checkCompiles(0);
    log.printf(
        Locale.ROOT,
        "the policy (%d KiB) compiles in %.0f ms (cold, in the harness)%n",
        policy.text(0).length() / 1024,
        HarnessMetrics.millis(System.nanoTime() - compileNanos));

    List<ProxyGroup> groups = policy.groups();
    SimulatedFleet envoys = SimulatedFleet.retrying(); // as Envoys: a failed stream is retried
    HarnessChannels channels = new HarnessChannels(options.insecure(), caDir);
    try (HarnessServer server = HarnessServer.start(options, policy, policyDir, caDir, log)) {
      log.printf(
          Locale.ROOT,
          "server started in %.0f ms (%s; xDS %s on 127.0.0.1:%d), %d groups%n",
          server.startMs(),
          server.where(),
          options.insecure() ? "PLAINTEXT" : "mutual TLS",
          server.xdsPort(),
          groups.size());
      long heapIdle = server.idleHeapAfterGc();
      Optional<Path> histograms = options.serverJvm().histograms();
      if (histograms.isPresent()) {
        server.histogram(Files.createDirectories(histograms.get()).resolve("idle.txt"));
      }
      Connected connected = connect(server, envoys, channels, groups, deadline);
      if (histograms.isPresent()) {
        server.histogram(histograms.get().resolve("connected.txt"));
      }
      return new HarnessRounds(options, log, policy, policyDir, work, server, envoys, channels)
          .run(deadline, groups.size(), connected, heapIdle);
    } finally {
      envoys.stop();
      channels.close();
      deleteTree(work);
    }
  }

  /** Every proxy's first response of all four types: when, and the heap after. */
  record Connected(List<Long> latencies, double allServedMs, long heapBytes) {}

  private Connected connect(
      HarnessServer server,
      SimulatedFleet envoys,
      HarnessChannels channels,
      List<ProxyGroup> groups,
      long deadline)
      throws IOException, InterruptedException {
    // The server's CPU while the fleet connects (TLS handshakes, every stream's first answers):
    // with --server-process the server's alone, so what a connect storm costs it per proxy.
    HarnessCpu.Window connectCpu = new HarnessCpu(server::cpu).start("connect", options.proxies());
    channels.open(server.xdsPort(), groups, options.channelsPerGroup());
    long connectNanos = System.nanoTime();
    envoys.start(options.proxies(), groups, channels, options::delta);
    SimulatedFleet.Served servedAt = envoys.awaitServed(connectNanos, deadline);
    double allServedMs = HarnessMetrics.millis(servedAt.lastNanos() - connectNanos);
    log.println(connectCpu.end("connect"));
    long heapServed = server.usedHeapAfterGc();
    log.printf(
        Locale.ROOT,
        "%d/%d proxies served all four types %.0f ms after the first stream opened"
            + " (streams reopened after an error: %d)%n",
        servedAt.latencies().size(),
        envoys.size(),
        allServedMs,
        envoys.reopened());
    return new Connected(servedAt.latencies(), allServedMs, heapServed);
  }

  /** The harness policy of {@code round} (see {@link HarnessPolicy}). */
  String policy(int round) {
    return new HarnessPolicy(options.services(), options.shape()).text(round);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; nothing else to do
    }
  }
}
