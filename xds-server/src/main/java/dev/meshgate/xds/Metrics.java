package dev.meshgate.xds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics. Counters for every xDS type exist from the start (at 0), so
 * dashboards and alerts see a series before the first push or NACK.
 */
final class Metrics {
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
    }
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
  void catalogStaleness(
      java.util.function.Supplier<java.util.List<dev.meshgate.discovery.Staleness>> stale) {
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
  }

  void push(XdsType type) {
    pushes.get(type).increment();
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
    return registry.scrape();
  }
}
