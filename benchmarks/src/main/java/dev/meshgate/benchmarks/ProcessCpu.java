package dev.meshgate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time (user + system, all threads) from Linux's {@code /proc/<pid>/stat}: the same
 * measure for a JVM and a Go server, whatever their threads.
 */
final class ProcessCpu {
  /** USER_HZ: the unit of the stat file's times; 100 on every Linux that x86 and arm64 run. */
  static final long TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /** CPU milliseconds {@code pid} has used so far. */
  static long millis(long pid) throws IOException {
    return parseMillis(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
  }

  /**
   * utime + stime (fields 14 and 15) of a stat line, in ms. The fields are counted after the last
   * ')': the command name (field 2) may hold spaces and parentheses.
   */
  static long parseMillis(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] fields = stat.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 (state): utime is field 14, so fields[11]; stime fields[12]
    if (fields.length < 13) {
      throw new IllegalArgumentException("a stat line too short: " + stat);
    }
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1000 / TICKS_PER_SECOND;
  }
}
