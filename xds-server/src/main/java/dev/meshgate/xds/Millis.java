package dev.meshgate.xds;

import java.util.Locale;

/**
 * A duration in nanoseconds that prints as milliseconds with one decimal, for debug timing lines:
 * formatted only when the line is logged.
 */
record Millis(long nanos) {
  static Millis of(long nanos) {
    return new Millis(nanos);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }
}
