package dev.meshgate.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.List;

/** The load harness's measures: heap after GC, and latency percentiles in milliseconds. */
final class HarnessMetrics {
  private HarnessMetrics() {}

  static long usedHeapAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static double millis(long nanos) {
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
}
