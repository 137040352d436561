package dev.meshgate.benchmarks;

import dev.meshgate.compiler.ProxyGroup;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * Side by side with go-control-plane (issue 17.7): the same resources served to the same simulated
 * Envoys by {@code meshgate serve} and by go-control-plane's snapshot cache and ADS server
 * (benchmarks/peers/go-control-plane, built by scripts/install-go-control-plane-peer.sh), each its
 * own process, plaintext xDS on loopback, one after the other in one run.
 *
 * <p>Per server and pass, after an untimed warm-up fleet ({@code --warmup} changes: both JITs warm,
 * the Java server's first-use costs paid), it times (a) N proxies connecting until every one has
 * all four types (CDS, EDS, LDS, RDS; each response is ACKed as it arrives) and (b) per change (the
 * harness policy's timeouts flipped: a new RDS version for every group) the time until every proxy
 * has it, with the server process's CPU time (/proc/pid/stat) for each. Meshgate compiles the
 * policy on every change, the peer only switches to resources exported before: Meshgate's compile
 * time (its /metrics) is printed beside, and subtracted for a publish-only figure.
 *
 * <p>The resources are Meshgate's own: in the first pass, before its proxies connect and after its
 * first change, one capture stream per group records what Meshgate served, written as binary
 * DiscoveryResponses ({@link PeerExport}) that the peer loads. Before its first pass, what the peer
 * serves is captured the same way and compared with the export (same versions, equal resources);
 * that, and the tallies of both servers' proxies (same resource counts per type), must agree, or
 * the run fails.
 *
 * <p>Bounded: everything ends at {@code --duration} after the start; exit 1 when something did not
 * complete. Needs the CLI built ({@code ./mvnw -pl cli -am package -DskipTests}).
 *
 * <pre>
 * scripts/install-go-control-plane-peer.sh
 * java -cp 'benchmarks/target/meshgate-benchmarks.jar:benchmarks/target/lib/*' \
 *     dev.meshgate.benchmarks.PeerComparison --proxies 200 --services 20 --changes 5 --passes 2
 * </pre>
 */
public final class PeerComparison {
  private static final String USAGE =
      "usage: PeerComparison [--proxies 200] [--services 20] [--changes 5] [--warmup 3]"
          + " [--passes 2]"
          + " [--duration 180s] [--peer PATH]";

  /** What to run. */
  record Options(
      int proxies,
      int services,
      int changes,
      int warmup,
      int passes,
      Duration duration,
      Path peer) {}

  /** One timed step on one server: all proxies done after {@code allMs}, p50, server CPU. */
  record Step(
      String what,
      int done,
      int expected,
      double allMs,
      double p50Ms,
      long cpuMs,
      OptionalDouble compileMs) {}

  /** One server's pass: the connect, then each change. */
  record Pass(
      String server,
      String pass,
      Step connect,
      List<Step> changes,
      Map<String, Map<String, Integer>> resources,
      List<String> failures) {}

  private final Options options;
  private final PrintStream log;

  PeerComparison(Options options, PrintStream log) {
    this.options = options;
    this.log = log;
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int exit;
    try {
      List<Pass> passes = new PeerComparison(options, System.out).run();
      exit = PeerReport.print(passes, System.out) ? 0 : 1;
    } catch (Exception e) {
      e.printStackTrace();
      exit = 3;
    }
    System.exit(exit); // gRPC's executors are not all daemon threads
  }

  static Options parse(String... args) {
    int proxies = 200;
    int services = 20;
    int changes = 5;
    int passes = 2;
    int warmup = 3;
    Duration duration = Duration.ofSeconds(180);
    String peer = System.getenv().getOrDefault("GO_CONTROL_PLANE_PEER_BIN", "");
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--proxies" -> proxies = Integer.parseInt(value);
        case "--services" -> services = Integer.parseInt(value);
        case "--changes" -> changes = Integer.parseInt(value);
        case "--passes" -> passes = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--duration" -> duration = HarnessCommandLine.parseDuration(value);
        case "--peer" -> peer = value;
        default -> throw new IllegalArgumentException(USAGE);
      }
      i++;
    }
    if (proxies < 1 || proxies > 10_000 || services < 1 || services > 1_000) {
      throw new IllegalArgumentException("--proxies 1..10000, --services 1..1000\n" + USAGE);
    }
    if (changes < 1 || changes > 100 || warmup < 0 || warmup > 100 || passes < 1 || passes > 10) {
      throw new IllegalArgumentException(
          "--changes 1..100, --warmup 0..100, --passes 1..10\n" + USAGE);
    }
    Path binary =
        peer.isEmpty()
            ? Policies.projectRoot().resolve(".tools/bin/go-control-plane-peer")
            : Path.of(peer);
    if (!Files.isExecutable(binary)) {
      throw new IllegalArgumentException(
          binary + " is missing: run scripts/install-go-control-plane-peer.sh\n" + USAGE);
    }
    return new Options(proxies, services, changes, warmup, passes, duration, binary);
  }

  /** Meshgate then the peer, {@code --passes} times; Meshgate's first pass also exports. */
  List<Pass> run() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + options.duration().toNanos();
    Path work = Files.createTempDirectory("meshgate-peers-");
    Path export = work.resolve("export");
    HarnessPolicy policy = new HarnessPolicy(options.services());
    List<Pass> passes = new ArrayList<>();
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (int pass = 1; pass <= options.passes(); pass++) {
        Path dir = Files.createDirectories(work.resolve("meshgate-" + pass));
        try (ComparedServer ours =
            ComparedServer.Meshgate.start(Policies.projectRoot(), policy, dir, http)) {
          passes.add(pass(ours, pass, policy.groups(), pass == 1 ? export : null, deadline));
        }
        try (ComparedServer peer = ComparedServer.Peer.start(options.peer(), export, work, http)) {
          List<String> differences =
              pass == 1
                  ? PeerExport.differences(
                      export, ComparedServer.versionOf(0), capture(peer, policy.groups(), deadline))
                  : List.of();
          differences.forEach(d -> log.println("the peer serves other resources: " + d));
          Pass timed = pass(peer, pass, policy.groups(), null, deadline);
          List<String> failures = new ArrayList<>(timed.failures());
          differences.forEach(d -> failures.add("served other resources than exported: " + d));
          passes.add(
              new Pass(
                  timed.server(),
                  timed.pass(),
                  timed.connect(),
                  timed.changes(),
                  timed.resources(),
                  failures));
        }
      }
    } finally {
      deleteTree(work);
    }
    return passes;
  }

  /**
   * One server's pass: with {@code --warmup} W > 0, first an untimed fleet that connects and sees W
   * changes (both JITs warm, the connection paths exercised), closed; then the timed fleet. Round
   * numbers run on across both, so the resources alternate as the harness policy's timeouts do.
   */
  private Pass pass(
      ComparedServer server,
      int pass,
      List<ProxyGroup> groups,
      @org.jspecify.annotations.Nullable Path exportTo,
      long deadline)
      throws IOException, InterruptedException {
    if (exportTo != null) {
      PeerExport.write(exportTo, ComparedServer.versionOf(0), capture(server, groups, deadline));
    }
    int warmup = options.warmup();
    if (warmup > 0) {
      fleet(server, "warm-up " + pass, groups, 1, warmup, exportTo, deadline);
    }
    return fleet(
        server,
        Integer.toString(pass),
        groups,
        warmup + 1,
        options.changes(),
        warmup > 0 ? null : exportTo,
        deadline);
  }

  /**
   * N proxies connect to {@code server}, then see {@code changes} changes from round {@code
   * firstRound} on; with {@code exportTo}, what the server serves after the first change is
   * exported too.
   */
  private Pass fleet(
      ComparedServer server,
      String label,
      List<ProxyGroup> groups,
      int firstRound,
      int changeCount,
      @org.jspecify.annotations.Nullable Path exportTo,
      long deadline)
      throws IOException, InterruptedException {
    SimulatedFleet fleet = new SimulatedFleet();
    HarnessChannels channels = new HarnessChannels(true, Path.of("."));
    channels.openPlaintext(server.xdsPort(), groups, 1);
    try {
      long cpu = ProcessCpu.millis(server.pid());
      long connectNanos = System.nanoTime();
      fleet.start(
          options.proxies(),
          groups,
          channels,
          i -> false); // state of the world, as the peer serves
      SimulatedFleet.Served served = fleet.awaitServed(connectNanos, deadline);
      Step connect =
          new Step(
              "connect",
              served.latencies().size(),
              options.proxies(),
              HarnessMetrics.millis(served.lastNanos() - connectNanos),
              HarnessMetrics.percentile(served.latencies(), 0.5),
              ProcessCpu.millis(server.pid()) - cpu,
              OptionalDouble.empty());
      log.println(PeerReport.describe(server.name(), label, connect));
      List<Step> changes = new ArrayList<>();
      for (int round = firstRound;
          round < firstRound + changeCount && connect.done() == connect.expected();
          round++) {
        Step step = change(server, fleet, round, deadline);
        changes.add(step);
        log.println(PeerReport.describe(server.name(), label, step));
        if (exportTo != null && round == firstRound) {
          PeerExport.write(
              exportTo, ComparedServer.versionOf(round), capture(server, groups, deadline));
        }
        if (step.done() != step.expected()) {
          break;
        }
      }
      SimulatedFleet.Tally tally = fleet.tally();
      List<String> failures = new ArrayList<>(tally.failures());
      if (System.nanoTime() - deadline > 0) {
        failures.add("the run hit --duration " + options.duration() + " before it completed");
      }
      return new Pass(server.name(), label, connect, changes, tally.resourcesByProxy(), failures);
    } finally {
      fleet.stop();
      channels.close();
    }
  }

  /** Round {@code round}'s change, timed until every proxy has the new RDS version. */
  private static Step change(ComparedServer server, SimulatedFleet fleet, int round, long deadline)
      throws IOException, InterruptedException {
    server.markCompiles();
    long before = ProcessCpu.millis(server.pid());
    XdsLoadHarness.Fanout fanout =
        fleet.timeChange(
            "change " + round,
            SimulatedEnvoy.RDS,
            deadline,
            () -> {
              try {
                server.change(round);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
              }
            });
    long cpuMs = ProcessCpu.millis(server.pid()) - before;
    return new Step(
        fanout.what(),
        fanout.updated(),
        fanout.expected(),
        fanout.maxMs(),
        fanout.p50Ms(),
        cpuMs,
        server.compileMsSinceMark());
  }

  /** One stream per group that keeps what {@code server} serves it now, type by type. */
  private static Map<String, Map<String, DiscoveryResponse>> capture(
      ComparedServer server, List<ProxyGroup> groups, long deadline) throws InterruptedException {
    HarnessChannels channels = new HarnessChannels(true, Path.of("."));
    channels.openPlaintext(server.xdsPort(), groups, 1);
    List<SimulatedEnvoy> streams = new ArrayList<>();
    try {
      for (ProxyGroup group : groups) {
        SimulatedEnvoy stream = new SimulatedEnvoy("capture-" + group.name(), group, false);
        stream.keepResponses();
        stream.start(channels.forProxy(group, 0));
        streams.add(stream);
      }
      while (System.nanoTime() - deadline < 0
          && !streams.stream().allMatch(s -> s.servedAtNanos() != 0 || s.failure() != null)) {
        Thread.sleep(5);
      }
      Map<String, Map<String, DiscoveryResponse>> byGroup = new LinkedHashMap<>();
      for (SimulatedEnvoy stream : streams) {
        Map<String, DiscoveryResponse> byType = new LinkedHashMap<>();
        for (String type : SimulatedEnvoy.TYPES) {
          stream.lastResponse(type).ifPresent(r -> byType.put(type, r));
        }
        byGroup.put(stream.group.name(), byType);
      }
      return byGroup;
    } finally {
      streams.forEach(SimulatedEnvoy::stop);
      channels.close();
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; nothing else to do
    }
  }
}
