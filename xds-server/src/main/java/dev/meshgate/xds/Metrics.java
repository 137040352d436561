package dev.meshgate.xds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics. Counters for every xDS type exist from the start (at 0), so
 * dashboards and alerts see a series before the first push or NACK.
 */
final class Metrics {
  /** The {@code group} label of proxies whose group the policy does not define. */
  static final String UNKNOWN_GROUP = "unknown";

  /** Fixed histogram buckets (Prometheus {@code le}), few enough to keep every series cheap. */
  private static final double[] SIZE_BUCKETS = {
    1_024, 16_384, 131_072, 1_048_576, 4_194_304, 16_777_216
  };

  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15)
  };

  private static final Duration[] COMPILE_BUCKETS = {
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<XdsType, Counter> pushes = new TreeMap<>();
  private final Map<XdsType, Counter> nacks = new TreeMap<>();
  private final Counter compilesOk;
  private final Counter compilesError;
  private final Counter compilesCrash;
  private final Counter unknownGroup;
  private final Counter reloadsHeld;
  private final java.util.concurrent.atomic.AtomicInteger holding =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Map<XdsRefusals.Reason, Counter> refused = new TreeMap<>();
  private final Map<XdsType, DistributionSummary> pushSizes = new TreeMap<>();
  private final Map<XdsType, Timer> pushLatencies = new TreeMap<>();
  private final Timer compileTime;
  private final MultiGauge groupProxies;
  private final MultiGauge certificateExpiry;
  private final MultiGauge sourceStaleness;

  /** Run before each scrape: the gauges whose label sets change (groups, sources) refresh. */
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

  /** Source kinds listed by the per-source staleness gauge: the two live catalogs always. */
  private final Set<String> staleKindsSeen =
      new java.util.concurrent.ConcurrentSkipListSet<>(List.of("consul", "kubernetes"));

  Metrics() {
    for (XdsType type : XdsType.values()) {
      pushes.put(
          type,
          Counter.builder("meshgate.xds.pushes")
              .description("xDS responses sent to proxies, by resource type")
              .tag("type", type.label())
              .register(registry));
      nacks.put(
          type,
          Counter.builder("meshgate.xds.nacks")
              .description("xDS responses proxies rejected (NACK), by resource type")
              .tag("type", type.label())
              .register(registry));
      pushSizes.put(
          type,
          DistributionSummary.builder("meshgate.xds.push.size")
              .description("serialized size of the xDS responses sent, by resource type")
              .baseUnit("bytes")
              .tag("type", type.label())
              .serviceLevelObjectives(SIZE_BUCKETS)
              .register(registry));
      pushLatencies.put(
          type,
          Timer.builder("meshgate.xds.push.latency")
              .description(
                  "time from sending an xDS response to the proxy's ACK of it (Envoy applied it),"
                      + " by resource type")
              .tag("type", type.label())
              .serviceLevelObjectives(LATENCY_BUCKETS)
              .register(registry));
    }
    compileTime =
        Timer.builder("meshgate.policy.compile.duration")
            .description("time to compile the policy (load, check, lower, translate)")
            .serviceLevelObjectives(COMPILE_BUCKETS)
            .register(registry);
    groupProxies =
        MultiGauge.builder("meshgate.group.proxies")
            .description("proxies with an open xDS stream, by group (unknown: not in the policy)")
            .register(registry);
    certificateExpiry =
        MultiGauge.builder("meshgate.certificate.expiry")
            .description(
                "seconds until the earliest expiry of the certificates served, by kind: ca (the"
                    + " mesh CA), workload (proxy identities, rotated by the server), gateway-tls"
                    + " (gateway certificates, from files or issued)")
            .baseUnit("seconds")
            .register(registry);
    sourceStaleness =
        MultiGauge.builder("meshgate.catalog.source.stale")
            .description(
                "age of the oldest endpoint watch its catalog cannot confirm, by source kind"
                    + " (consul, kubernetes); 0 when all are confirmed")
            .baseUnit("seconds")
            .register(registry);
    compilesOk = compiles("ok");
    compilesError = compiles("error");
    compilesCrash = compiles("crash");
    unknownGroup =
        Counter.builder("meshgate.xds.unknown.group")
            .description("xDS streams from proxies whose group is not in the policy")
            .register(registry);
    reloadsHeld =
        Counter.builder("meshgate.policy.reloads.held")
            .description(
                "policy reloads held because they would remove every proxy group or too many routes"
                    + " or clusters (see --max-removal, --allow-removal)")
            .register(registry);
    io.micrometer.core.instrument.Gauge.builder("meshgate.policy.held", holding::get)
        .description("1 while the policy files hold a reload back (the last good one serves)")
        .register(registry);
    for (XdsRefusals.Reason reason : XdsRefusals.Reason.values()) {
      refused.put(
          reason,
          Counter.builder("meshgate.xds.refused")
              .description(
                  "xDS streams refused because the proxy's claim does not match its certificate, by reason")
              .tag("reason", reason.label())
              .register(registry));
    }
  }

  private Counter compiles(String result) {
    return Counter.builder("meshgate.policy.compiles")
        .description("policy compilations, by result: ok, error (policy errors), crash (a bug)")
        .tag("result", result)
        .register(registry);
  }

  void connectedProxies(IntSupplier count) {
    io.micrometer.core.instrument.Gauge.builder("meshgate.proxies.connected", count::getAsInt)
        .description("proxies with an open xDS stream")
        .register(registry);
  }

  void laggingProxies(IntSupplier count) {
    io.micrometer.core.instrument.Gauge.builder("meshgate.proxies.lagging", count::getAsInt)
        .description(
            "proxies that have not ACKed their group's served version of some type for over 30 s")
        .register(registry);
  }

  /**
   * Gauges of the catalog's stale watches (for example Consul unreachable): how many, and the age
   * in seconds of the oldest (0 when none), so an alert can fire on long outages.
   */
  void catalogStaleness(Supplier<List<dev.meshgate.discovery.Staleness>> stale) {
    io.micrometer.core.instrument.Gauge.builder(
            "meshgate.catalog.stale.watches", () -> stale.get().size())
        .description(
            "endpoint watches serving last known endpoints because their catalog cannot confirm them")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "meshgate.catalog.stale.seconds",
            () -> {
              java.time.Instant now = java.time.Instant.now();
              return stale.get().stream().mapToLong(s -> s.age(now).toSeconds()).max().orElse(0);
            })
        .description("age of the oldest stale endpoint watch, 0 when none")
        .register(registry);
    beforeScrape.add(() -> {
      Instant now = Instant.now();
      // consul and kubernetes are always listed (0: confirmed, or not used), so alerts and
      // dashboards have a series before the first outage; another kind stays once seen.
      Map<String, Long> bySource = new TreeMap<>();
      for (dev.meshgate.discovery.Staleness s : stale.get()) {
        String kind = sourceKind(s.source());
        staleKindsSeen.add(kind);
        bySource.merge(kind, s.age(now).toSeconds(), Math::max);
      }
      for (String kind : staleKindsSeen) {
        bySource.putIfAbsent(kind, 0L);
      }
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      bySource.forEach((kind, age) -> rows.add(MultiGauge.Row.of(Tags.of("source", kind), age)));
      sourceStaleness.register(rows, true);
    });
  }

  /**
   * {@code consul} of {@code consul:catalog@dc1}: the label stays one of a few kinds, not one per
   * watched service.
   */
  static String sourceKind(String source) {
    int colon = source.indexOf(':');
    String kind = colon > 0 ? source.substring(0, colon) : source;
    return kind.matches("[a-z][a-z0-9-]{0,31}") ? kind : "other";
  }

  void push(XdsType type) {
    pushes.get(type).increment();
  }

  void pushSize(XdsType type, int bytes) {
    pushSizes.get(type).record(bytes);
  }

  void pushAcked(XdsType type, Duration latency) {
    pushLatencies.get(type).record(latency.isNegative() ? Duration.ZERO : latency);
  }

  void compileTook(Duration duration) {
    compileTime.record(duration);
  }

  /**
   * A NACK by a proxy of {@code group}: one counter per group and type, created the first time (and
   * at 0 for every type of every group the policy defines, see {@link #groups}).
   */
  void groupNack(String group, XdsType type) {
    groupNackCounter(group, type).increment();
  }

  private Counter groupNackCounter(String group, XdsType type) {
    return Counter.builder("meshgate.group.nacks")
        .description("xDS responses proxies rejected (NACK), by proxy group and resource type")
        .tag("group", group)
        .tag("type", type.label())
        .register(registry);
  }

  /**
   * Per-group gauges, refreshed at each scrape: the groups the policy defines (from {@code groups},
   * each at 0 until a proxy connects) and the connected proxies per group (from {@code connected},
   * unknown groups folded into {@link #UNKNOWN_GROUP}).
   */
  void groups(Supplier<Set<String>> groups, Supplier<Map<String, Integer>> connected) {
    beforeScrape.add(() -> {
      Map<String, Integer> counts = new TreeMap<>();
      for (String group : groups.get()) {
        counts.put(group, 0);
        for (XdsType type : XdsType.values()) {
          groupNackCounter(group, type);
        }
      }
      counts.putAll(connected.get());
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      counts.forEach((group, n) -> rows.add(MultiGauge.Row.of(Tags.of("group", group), n)));
      groupProxies.register(rows, true);
    });
  }

  /** Seconds until expiry per kind of certificate, refreshed at each scrape. */
  void certificateExpiry(Supplier<Map<String, Long>> secondsByKind) {
    beforeScrape.add(() -> {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      secondsByKind
          .get()
          .forEach((kind, s) -> rows.add(MultiGauge.Row.of(Tags.of("kind", kind), s)));
      certificateExpiry.register(rows, true);
    });
  }

  void nack(XdsType type) {
    nacks.get(type).increment();
  }

  void compiled(boolean ok) {
    (ok ? compilesOk : compilesError).increment();
  }

  /** A reload was held ({@code true}) or applied ({@code false}). */
  void held(boolean held) {
    if (held) {
      reloadsHeld.increment();
    }
    holding.set(held ? 1 : 0);
  }

  /** The compiler itself failed (a bug in meshgate), as opposed to a policy with errors. */
  void compileCrashed() {
    compilesCrash.increment();
  }

  void refused(XdsRefusals.Reason reason) {
    refused.get(reason).increment();
  }

  void unknownGroup() {
    unknownGroup.increment();
  }

  /** The Prometheus text exposition format. */
  String scrape() {
    for (Runnable refresh : beforeScrape) {
      refresh.run();
    }
    return registry.scrape();
  }
}
