package dev.meshgate.benchmarks;

import java.io.PrintStream;
import java.util.Locale;

/** How the load harness reports: a line per timed change, and a Markdown summary of the run. */
final class HarnessReport {
  private HarnessReport() {}

  static String describe(XdsLoadHarness.Fanout f) {
    return String.format(
        Locale.ROOT,
        "%s: %d/%d proxies updated, p50 %.0f ms, p99 %.0f ms, max %.0f ms; heap after GC %s%s",
        f.what(),
        f.updated(),
        f.expected(),
        f.p50Ms(),
        f.p99Ms(),
        f.maxMs(),
        mib(f.heapBytes()),
        f.bystanders() > 0 ? "; " + f.bystanders() + " other proxies updated too" : "");
  }

  static String describe(XdsLoadHarness.Churn c) {
    return String.format(
        Locale.ROOT,
        "endpoint churn: %d of %d endpoints replaced in %.1f s; %d/%d proxy updates ACKed"
            + " (%d superseded, %d pending), p50 %.0f ms, p99 %.0f ms, max %.0f ms",
        c.changes(),
        c.endpoints(),
        c.seconds(),
        c.acked(),
        c.expected(),
        c.superseded(),
        c.pending(),
        c.p50Ms(),
        c.p99Ms(),
        c.maxMs());
  }

  static String describe(XdsLoadHarness.Storm s) {
    return String.format(
        Locale.ROOT,
        "reconnect storm: %d/%d proxies served again, %d refused (streams reopened after an"
            + " error: %d), p50 %.0f ms, p99 %.0f ms, all %.0f ms",
        s.reconnected(),
        s.expected(),
        s.refused(),
        s.reopened(),
        s.p50Ms(),
        s.p99Ms(),
        s.allMs());
  }

  /** The summary, as Markdown rows docs/benchmarks.md can take. */
  static void print(XdsLoadHarness.Result r, PrintStream out) {
    XdsLoadHarness.Options o = r.options();
    out.println();
    out.printf(
        Locale.ROOT,
        "shape=%s proxies=%d groups=%d channels=%d xds=%s delta=%.2f rounds=%d debounce=%dms"
            + " duration=%s server=%s cpus=%d jdk=%s maxheap=%s%n",
        shape(o.shape()),
        o.proxies(),
        r.groups(),
        r.groups() * o.channelsPerGroup(),
        o.insecure() ? "plaintext" : "mTLS",
        o.deltaFraction(),
        o.rounds(),
        o.debounce().toMillis(),
        o.duration(),
        o.serverJvm().own() ? "own-jvm" : "in-process",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        mib(Runtime.getRuntime().maxMemory()));
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
    for (XdsLoadHarness.Fanout f : r.changes()) {
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
    r.churn()
        .ifPresent(c ->
            out.printf(
                Locale.ROOT,
                "| endpoint churn (%.1f%%/s, %d changes) → EDS ACK | %d/%d | %.0f | %.0f | %.0f | - |%n",
                100.0 * c.changes() / c.endpoints() / Math.max(c.seconds(), 1e-9),
                c.changes(),
                c.acked(),
                c.expected() - c.superseded(),
                c.p50Ms(),
                c.p99Ms(),
                c.maxMs()));
    r.storm()
        .ifPresent(s ->
            out.printf(
                Locale.ROOT,
                "| reconnect storm → all four types again (%d refused) | %d/%d | %.0f | %.0f |"
                    + " %.0f | - |%n",
                s.refused(),
                s.reconnected(),
                s.expected(),
                s.p50Ms(),
                s.p99Ms(),
                s.allMs()));
    // CPU per push: the HarnessCpu line goes here.
    if (r.served() > 0) {
      out.printf(
          Locale.ROOT,
          "heap per proxy: %.1f KiB ((connected %s − idle server %s) / %d proxies; %s)%n",
          r.heapPerProxyBytes() / 1024.0,
          mib(r.heapServedBytes()),
          mib(r.heapIdleBytes()),
          r.served(),
          o.serverJvm().own() ? "the server's own JVM" : "clients included");
    }
    // 4 first responses per proxy and one per change: more means re-sends (an ACK not taken as
    // one).
    if (r.churn().isEmpty() && r.storm().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "xDS responses received: %d (%d expected: 4 per proxy + 1 per change per proxy it"
              + " reaches%s)%n",
          r.responses(),
          4L * o.proxies() + r.changes().stream().mapToLong(XdsLoadHarness.Fanout::expected).sum(),
          r.streamsReopened() > 0 ? "; a reopened stream may be answered again" : "");
    } else {
      out.printf(
          Locale.ROOT,
          "xDS responses received on the streams open at the end: %d%n",
          r.responses());
    }
    // Envoy's backoff retries a failed stream (StreamBackoff): the timings above include the
    // retries, and this says how many there were.
    out.printf(Locale.ROOT, "streams reopened after an error: %d%n", r.streamsReopened());
    r.failures().stream().limit(10).forEach(f -> out.println("FAILED: " + f));
    out.println(r.complete() ? "complete" : "INCOMPLETE");
  }

  private static String shape(XdsLoadHarness.Shape shape) {
    return switch (shape) {
      case XdsLoadHarness.Shape.Simple s -> "simple";
      case XdsLoadHarness.Shape.Realistic r ->
          String.format(
              Locale.ROOT,
              "realistic(calls=%d endpoints/service=%d churn=%.1f%%/s for %ds seed=%d)",
              r.calls(),
              r.endpointsPerService(),
              r.churnPercent(),
              r.churn().toSeconds(),
              r.seed());
    };
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
