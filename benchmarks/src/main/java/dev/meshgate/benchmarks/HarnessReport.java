package dev.meshgate.benchmarks;

import java.io.PrintStream;
import java.util.Locale;

/** How the load harness reports: a line per timed change, and a Markdown summary of the run. */
final class HarnessReport {
  private HarnessReport() {}

  static String describe(XdsLoadHarness.Fanout f) {
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

  /** The summary, as Markdown rows docs/benchmarks.md can take. */
  static void print(XdsLoadHarness.Result r, PrintStream out) {
    XdsLoadHarness.Options o = r.options();
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

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
