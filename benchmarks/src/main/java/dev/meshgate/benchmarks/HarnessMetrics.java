package dev.meshgate.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import javax.management.JMException;
import javax.management.ObjectName;

/** The load harness's measures: heap after GC, and latency percentiles in milliseconds. */
final class HarnessMetrics {
  private HarnessMetrics() {}

  static long usedHeapAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Writes this JVM's class histogram (what {@code jcmd PID GC.class_histogram} prints, after a
   * full GC) to {@code file}, through the diagnostic command MBean, so no jcmd or attach is needed.
   */
  static void writeClassHistogram(Path file) throws IOException {
    try {
      Object text =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "gcClassHistogram",
                  new Object[] {new String[0]},
                  new String[] {String[].class.getName()});
      Files.writeString(file, String.valueOf(text));
    } catch (JMException e) {
      throw new IOException("no class histogram: " + e.getMessage(), e);
    }
  }

  /**
   * The used heap after GC once the server's compiler warm-up ({@link HarnessCpu#WARMUP}, a few
   * seconds of compiles after a start) has ended, at most {@code max} later: a compile in progress
   * is live data, and at 10,000 services it weighed hundreds of MiB more than the idle server.
   */
  static long idleHeapAfterGc(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (warmupRunning() && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return usedHeapAfterGc();
  }

  private static boolean warmupRunning() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(HarnessCpu.WARMUP));
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
