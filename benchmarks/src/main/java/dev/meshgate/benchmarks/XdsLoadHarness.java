package dev.meshgate.benchmarks;

import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.Source;
import dev.meshgate.discovery.Endpoint;
import dev.meshgate.xds.MeshgateServer;
import dev.meshgate.xds.PolicyRejectedException;
import dev.meshgate.xds.ServerOptions;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.XdsClientTls;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
 * <p>Bounded: a fixed number of proxies and rounds, every wait ends at {@code --duration} after the
 * start, and the run stops by itself (exit 1 when something did not complete in time). Loopback
 * only. The server and the simulated proxies share this JVM, so the heap figures include the
 * clients (small: they keep versions, not resources).
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
      Duration debounce) {
    public Options {
      if (proxies < 1 || proxies > 10_000) {
        throw new IllegalArgumentException("--proxies must be 1..10000: " + proxies);
      }
      if (services < 1 || services > 1_000) {
        throw new IllegalArgumentException("--services must be 1..1000: " + services);
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
    }

    static Options defaults() {
      return new Options(
          200, Duration.ofSeconds(30), 20, 3, 1, false, ServerOptions.DEFAULT_DEBOUNCE);
    }

    static Options parse(String... args) {
      Options o = defaults();
      int proxies = o.proxies,
          services = o.services,
          rounds = o.rounds,
          channels = o.channelsPerGroup;
      Duration duration = o.duration, debounce = o.debounce;
      boolean insecure = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--insecure" -> insecure = true;
          case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
          default -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(
                  "unknown option or missing value: " + arg + "\n" + USAGE);
            }
            String value = args[++i];
            switch (arg) {
              case "--proxies" -> proxies = Integer.parseInt(value);
              case "--duration" -> duration = parseDuration(value);
              case "--services" -> services = Integer.parseInt(value);
              case "--rounds" -> rounds = Integer.parseInt(value);
              case "--channels-per-group" -> channels = Integer.parseInt(value);
              case "--debounce" -> debounce = parseDuration(value);
              default ->
                  throw new IllegalArgumentException("unknown option: " + arg + "\n" + USAGE);
            }
          }
        }
      }
      return new Options(proxies, duration, services, rounds, channels, insecure, debounce);
    }
  }

  static final String USAGE =
      """
      usage: XdsLoadHarness [--proxies N] [--duration 30s] [--services S] [--rounds R]
                            [--channels-per-group C] [--debounce 200ms] [--insecure]
        --proxies N             simulated Envoys (ADS streams), default 200
        --duration D            hard limit for the whole run (250ms, 30s, 2m), default 30s
        --services S            services with sidecars in the policy (groups = S + 1 gateway), default 20
        --rounds R              policy edits and endpoint changes to time, default 3
        --channels-per-group C  gRPC channels (connections) per group, default 1
        --debounce D            the server's policy reload debounce, default 200ms (the server's)
        --insecure              plaintext xDS (default: mutual TLS with CA-issued credentials)\
      """;

  /** One timed change: how many proxies got it, and when, in ms after the change. */
  public record Fanout(
      String what,
      int updated,
      int expected,
      double p50Ms,
      double p99Ms,
      double maxMs,
      long heapBytes) {
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
      List<String> failures) {

    /** Every proxy had all four types, every change reached every proxy, no stream failed. */
    public boolean complete() {
      return served == options.proxies()
          && changes.size() == 2 * options.rounds()
          && changes.stream().allMatch(Fanout::complete)
          && failures.isEmpty();
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
      print(result, System.out);
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
    writePolicy(policyDir, work, 0);
    checkCompiles(0);

    HarnessCatalog catalog = new HarnessCatalog();
    int endpointCount = 2;
    catalog.set("backend", backendEndpoints(endpointCount));

    long heapBaseline = usedHeapAfterGc();
    List<ProxyGroup> groups = groups();
    List<SimulatedEnvoy> envoys = new ArrayList<>();
    List<ManagedChannel> channels = new ArrayList<>();
    List<Fanout> changes = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    ServerOptions serverOptions =
        ServerOptions.loopback(List.of(policyDir), caDir)
            .withInsecureXds(options.insecure())
            .withReloadDebounce(options.debounce());
    long startNanos = System.nanoTime();
    try (MeshgateServer server = MeshgateServer.start(serverOptions, catalog)) {
      double serverStartMs = millis(System.nanoTime() - startNanos);
      log.printf(
          Locale.ROOT,
          "server started in %.0f ms (xDS %s on 127.0.0.1:%d), %d groups%n",
          serverStartMs,
          options.insecure() ? "PLAINTEXT" : "mutual TLS",
          server.xdsPort(),
          groups.size());

      Map<ProxyGroup, List<ManagedChannel>> byGroup = new LinkedHashMap<>();
      for (ProxyGroup group : groups) {
        List<ManagedChannel> list = new ArrayList<>();
        for (int c = 0; c < options.channelsPerGroup(); c++) {
          list.add(channel(server, caDir, group));
        }
        byGroup.put(group, list);
        channels.addAll(list);
      }
      long connectNanos = System.nanoTime();
      for (int i = 0; i < options.proxies(); i++) {
        ProxyGroup group = groups.get(i % groups.size());
        List<ManagedChannel> list = byGroup.get(group);
        SimulatedEnvoy envoy = new SimulatedEnvoy("proxy-" + i, group);
        envoy.start(list.get((i / groups.size()) % list.size()));
        envoys.add(envoy);
      }
      awaitAll(envoys, e -> e.servedAtNanos() != 0 || e.failure() != null, deadline);
      List<Long> servedLatencies = new ArrayList<>();
      long lastServed = connectNanos;
      for (SimulatedEnvoy e : envoys) {
        if (e.servedAtNanos() != 0) {
          servedLatencies.add(e.servedAtNanos() - e.openedAtNanos());
          lastServed = Math.max(lastServed, e.servedAtNanos());
        }
      }
      int served = servedLatencies.size();
      double allServedMs = millis(lastServed - connectNanos);
      long heapServed = usedHeapAfterGc();
      log.printf(
          Locale.ROOT,
          "%d/%d proxies served all four types %.0f ms after the first stream opened%n",
          served,
          envoys.size(),
          allServedMs);

      for (int round = 1; round <= options.rounds() && served == envoys.size(); round++) {
        Fanout edit =
            timeChange(
                "policy edit " + round,
                envoys,
                SimulatedEnvoy.RDS,
                deadline,
                editRound -> writePolicy(policyDir, work, editRound),
                round);
        changes.add(edit);
        log.println(describe(edit));
        if (!edit.complete()) {
          break;
        }
        int count = ++endpointCount;
        Fanout endpoints =
            timeChange(
                "endpoint change " + round,
                envoys,
                SimulatedEnvoy.EDS,
                deadline,
                ignored -> catalog.set("backend", backendEndpoints(count)),
                round);
        changes.add(endpoints);
        log.println(describe(endpoints));
        if (!endpoints.complete()) {
          break;
        }
      }

      Map<String, Map<String, Integer>> resources = new LinkedHashMap<>();
      long responses = 0;
      for (SimulatedEnvoy e : envoys) {
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (String type : SimulatedEnvoy.TYPES) {
          byType.put(shortName(type), e.seen(type).resources());
          responses += e.seen(type).responses();
        }
        resources.put(e.id, byType);
        if (e.failure() != null) {
          failures.add(e.id + ": " + e.failure());
        }
      }
      if (System.nanoTime() - deadline > 0) {
        failures.add("the run hit --duration " + options.duration() + " before it completed");
      }
      return new Result(
          options,
          groups.size(),
          serverStartMs,
          served,
          allServedMs,
          percentile(servedLatencies, 0.50),
          percentile(servedLatencies, 0.99),
          heapBaseline,
          heapServed,
          changes,
          resources,
          responses,
          failures);
    } finally {
      envoys.forEach(SimulatedEnvoy::stop);
      for (ManagedChannel channel : channels) {
        channel.shutdownNow();
      }
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      }
      catalog.close();
      deleteTree(work);
    }
  }

  @FunctionalInterface
  private interface Change {
    void apply(int round) throws IOException;
  }

  /**
   * Applies a change and waits until every proxy has a version of {@code type} other than the one
   * it had before (or the deadline), then weighs the heap.
   */
  private Fanout timeChange(
      String what,
      List<SimulatedEnvoy> envoys,
      String type,
      long deadline,
      Change change,
      int round)
      throws IOException, InterruptedException {
    Map<SimulatedEnvoy, String> before = new LinkedHashMap<>();
    for (SimulatedEnvoy e : envoys) {
      before.put(e, e.seen(type).version());
    }
    long changedAt = System.nanoTime();
    change.apply(round);
    awaitAll(
        envoys,
        e -> !e.seen(type).version().equals(before.get(e)) || e.failure() != null,
        deadline);
    List<Long> latencies = new ArrayList<>();
    for (SimulatedEnvoy e : envoys) {
      SimulatedEnvoy.Seen seen = e.seen(type);
      if (!seen.version().equals(before.get(e))) {
        latencies.add(seen.atNanos() - changedAt);
      }
    }
    long heap = usedHeapAfterGc();
    return new Fanout(
        what,
        latencies.size(),
        envoys.size(),
        percentile(latencies, 0.50),
        percentile(latencies, 0.99),
        percentile(latencies, 1.0),
        heap);
  }

  private static void awaitAll(
      List<SimulatedEnvoy> envoys, Predicate<SimulatedEnvoy> done, long deadline)
      throws InterruptedException {
    while (System.nanoTime() - deadline < 0) {
      if (envoys.stream().allMatch(done)) {
        return;
      }
      Thread.sleep(2);
    }
  }

  private List<ProxyGroup> groups() {
    List<ProxyGroup> groups = new ArrayList<>();
    groups.add(ProxyGroup.gateway("edge"));
    for (int i = 0; i < options.services(); i++) {
      groups.add(ProxyGroup.sidecar("s" + i));
    }
    return groups;
  }

  /**
   * The harness policy: a strict mTLS mesh of S services with sidecars, each calling {@code
   * backend} (endpoints from the harness catalog) with a timeout that alternates per round, and
   * gateway {@code edge} routing to every service and to {@code backend}.
   */
  String policy(int round) {
    String timeout = round % 2 == 0 ? "1s" : "2s";
    StringBuilder text = new StringBuilder();
    text.append(
        "mesh load {\n  trust-domain \"load.example\"\n  mtls strict\n  authz default deny\n}\n");
    text.append("service backend {\n  source consul \"backend\"\n}\n");
    for (int i = 0; i < options.services(); i++) {
      text.append("service s")
          .append(i)
          .append(" {\n")
          .append("  source static 127.0.0.1:")
          .append(20000 + i)
          .append('\n')
          .append("  sidecar {\n")
          .append("    inbound 127.0.0.1:")
          .append(20000 + i)
          .append('\n')
          .append("    app 127.0.0.1:")
          .append(30000 + i)
          .append('\n')
          .append("  }\n}\n");
    }
    text.append("gateway edge {\n  listen 127.0.0.1:10000\n  host \"api.example\" {\n");
    text.append("    route /backend/** {\n      to backend\n      timeout ")
        .append(timeout)
        .append("\n    }\n");
    for (int i = 0; i < options.services(); i++) {
      text.append("    route /s").append(i).append("/** { to s").append(i).append(" }\n");
    }
    text.append("  }\n}\n");
    for (int i = 0; i < options.services(); i++) {
      text.append("allow edge -> s").append(i).append('\n');
      text.append("call s")
          .append(i)
          .append(" -> backend { timeout ")
          .append(timeout)
          .append(" }\n");
    }
    return text.toString();
  }

  private void checkCompiles(int round) {
    Policies.compileOrFail(List.of(new Source("load.mesh", policy(round))));
  }

  /**
   * Replaces the policy file at once (written next door, then moved), so no reload sees half of it.
   */
  private void writePolicy(Path policyDir, Path work, int round) throws IOException {
    Path tmp = work.resolve("load.mesh.tmp");
    Files.writeString(tmp, policy(round));
    Files.move(
        tmp,
        policyDir.resolve("load.mesh"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<Endpoint> backendEndpoints(int count) {
    List<Endpoint> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(Endpoint.of("127.0.0.1", 40000 + i));
    }
    return list;
  }

  private ManagedChannel channel(MeshgateServer server, Path caDir, ProxyGroup group)
      throws IOException {
    if (options.insecure()) {
      return NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
    }
    XdsClientTls credentials = ProxyCredentials.issue(caDir, group);
    ChannelCredentials tls =
        TlsChannelCredentials.newBuilder()
            .keyManager(stream(credentials.certPem()), stream(credentials.keyPem()))
            .trustManager(stream(credentials.caPem()))
            .build();
    return NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort(), tls).build();
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  static double percentile(List<Long> nanos, double p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = nanos.stream().sorted(Comparator.naturalOrder()).toList();
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return millis(sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))));
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    } else if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    } else if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }

  private static String shortName(String typeUrl) {
    return switch (typeUrl) {
      case SimulatedEnvoy.CDS -> "CDS";
      case SimulatedEnvoy.EDS -> "EDS";
      case SimulatedEnvoy.LDS -> "LDS";
      case SimulatedEnvoy.RDS -> "RDS";
      default -> typeUrl;
    };
  }

  private static String describe(Fanout f) {
    return String.format(
        Locale.ROOT,
        "%s: %d/%d proxies updated, p50 %.0f ms, p99 %.0f ms, max %.0f ms; heap after GC %s",
        f.what(),
        f.updated(),
        f.expected(),
        f.p50Ms(),
        f.p99Ms(),
        f.maxMs(),
        mib(f.heapBytes()));
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** The summary, as Markdown rows docs/benchmarks.md can take. */
  static void print(Result r, PrintStream out) {
    Options o = r.options();
    out.println();
    out.printf(
        Locale.ROOT,
        "proxies=%d groups=%d channels=%d xds=%s rounds=%d debounce=%dms duration=%s cpus=%d jdk=%s%n",
        o.proxies(),
        r.groups(),
        r.groups() * o.channelsPerGroup(),
        o.insecure() ? "plaintext" : "mTLS",
        o.rounds(),
        o.debounce().toMillis(),
        o.duration(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    out.println("| measurement | proxies | p50 ms | p99 ms | max / all ms | heap after GC |");
    out.println("|---|---|---|---|---|---|");
    out.printf(
        Locale.ROOT,
        "| server start (compile, CA, ports) | - | - | - | %.0f | %s (baseline) |%n",
        r.serverStartMs(),
        mib(r.heapBaselineBytes()));
    out.printf(
        Locale.ROOT,
        "| connect → all four types | %d/%d | %.0f | %.0f | %.0f | %s |%n",
        r.served(),
        o.proxies(),
        r.servedP50Ms(),
        r.servedP99Ms(),
        r.allServedMs(),
        mib(r.heapServedBytes()));
    for (Fanout f : r.changes()) {
      out.printf(
          Locale.ROOT,
          "| %s → new %s | %d/%d | %.0f | %.0f | %.0f | %s |%n",
          f.what(),
          f.what().startsWith("policy") ? "RDS" : "EDS",
          f.updated(),
          f.expected(),
          f.p50Ms(),
          f.p99Ms(),
          f.maxMs(),
          mib(f.heapBytes()));
    }
    // 4 first responses per proxy and one per change: more means re-sends (an ACK not taken as
    // one).
    out.printf(
        Locale.ROOT,
        "xDS responses received: %d (%d expected: 4 per proxy + 1 per change per proxy)%n",
        r.responses(),
        (long) o.proxies() * (4 + r.changes().size()));
    r.failures().stream().limit(10).forEach(f -> out.println("FAILED: " + f));
    out.println(r.complete() ? "complete" : "INCOMPLETE");
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; nothing else to do
    }
  }
}
