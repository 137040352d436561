package dev.meshgate.benchmarks;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How long a simulated Envoy waits before it opens its ADS stream again after the stream failed:
 * Envoy's jittered exponential backoff with full jitter (its {@code
 * JitteredExponentialBackOffStrategy}, which the ADS stream uses with a base interval of 500 ms and
 * a cap of 30 s). The n-th delay since the last {@link #reset} is uniform in [0, min(base · 2^n,
 * cap)); Envoy resets it when the stream gets a response.
 *
 * <p>Written here rather than taken from a library: the only backoff on this module's class path is
 * gRPC's {@code ExponentialBackoffPolicy}, which is internal API and jitters ±20% around the
 * interval instead of Envoy's full jitter. Not thread-safe: its envoy calls it under its own lock.
 */
final class StreamBackoff {
  static final Duration ENVOY_BASE = Duration.ofMillis(500);
  static final Duration ENVOY_CAP = Duration.ofSeconds(30);

  private final long baseNanos;
  private final long capNanos;
  private final SplittableRandom random;
  private long ceilingNanos;

  /** Envoy's defaults, jittered by a random seeded with {@code seed} (a run can be repeated). */
  StreamBackoff(long seed) {
    this(ENVOY_BASE, ENVOY_CAP, seed);
  }

  StreamBackoff(Duration base, Duration cap, long seed) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "backoff base must be > 0 and <= cap: " + base + ", " + cap);
    }
    this.baseNanos = base.toNanos();
    this.capNanos = cap.toNanos();
    this.random = new SplittableRandom(seed);
    this.ceilingNanos = baseNanos;
  }

  /** The next delay, and doubles the range of the one after (up to the cap). */
  Duration next() {
    long ceiling = ceilingNanos;
    ceilingNanos = ceiling > capNanos / 2 ? capNanos : ceiling * 2; // no overflow, as in Envoy
    return Duration.ofNanos(random.nextLong(ceiling));
  }

  /** Back to the base interval: the stream got a response, so it works again. */
  void reset() {
    ceilingNanos = baseNanos;
  }
}
