package dev.meshgate.benchmarks;

import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * When a simulated Envoy opens its failed ADS stream again ({@link StreamBackoff} on a scheduler),
 * how often it did, and what ended the stream while it waits. Kept apart from {@link
 * SimulatedEnvoy}, which calls it under its own lock (so this is not synchronized).
 */
final class StreamRetry {
  private final @Nullable ScheduledExecutorService scheduler;
  private final StreamBackoff backoff;
  private @Nullable Throwable down;
  private int reopened;
  private boolean stopped;

  private StreamRetry(@Nullable ScheduledExecutorService scheduler, long seed) {
    this.scheduler = scheduler;
    this.backoff = new StreamBackoff(seed);
  }

  /** No retry: a failed stream stays failed (PeerComparison, which reports failures as such). */
  static StreamRetry never() {
    return new StreamRetry(null, 0);
  }

  /** Retries on {@code scheduler}, jittered by a random seeded with {@code seed}. */
  static StreamRetry on(ScheduledExecutorService scheduler, long seed) {
    return new StreamRetry(scheduler, seed);
  }

  /**
   * The stream failed with {@code error}: runs {@code reopen} after the backoff's next delay, and
   * says so; false when it will not (no scheduler, stopped, or the scheduler was shut down).
   */
  boolean failed(Throwable error, Runnable reopen) {
    if (scheduler == null || stopped) {
      return false;
    }
    try {
      scheduler.schedule(reopen, backoff.next().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return false; // the fleet stopped
    }
    down = error;
    return true;
  }

  /** The stream is opened again. */
  void reopening() {
    reopened++;
    down = null;
  }

  /** The stream got a response: as in Envoy, its next failure starts from the base interval. */
  void answered() {
    backoff.reset();
  }

  /** The proxy opens a new stream from nothing (the storm): no wait, and the base interval. */
  void restarted() {
    down = null;
    backoff.reset();
  }

  void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
  }

  /** What ended the last stream while it waits to be opened again. */
  Optional<Throwable> down() {
    return Optional.ofNullable(down);
  }

  /** Streams opened again after an error. */
  int reopened() {
    return reopened;
  }
}
