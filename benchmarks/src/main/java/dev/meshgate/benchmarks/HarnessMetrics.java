package dev.meshgate.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
