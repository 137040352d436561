package dev.meshgate.it;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Polling with a deadline: no wait in these tests is unbounded. A probe that throws (an exception
 * or a failed assertion) counts as "not yet"; the last such failure becomes the cause of the
 * timeout. Only a dead child process ends the wait early.
 */
final class Wait {
  private static final Duration POLL = Duration.ofMillis(50);

  private Wait() {}

  /** Polls {@code probe} until it gives a value; fails with {@code what} after {@code timeout}. */
  static <T> T until(Duration timeout, String what, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (true) {
      try {
        Optional<T> value = probe.get();
        if (value.isPresent()) {
          return value.get();
        }
      } catch (ChildProcess.Died e) {
        throw e;
      } catch (RuntimeException | AssertionError e) {
        last = e; // not ready yet (connection refused, a probe's assertion, ...); keep polling
      }
      if (System.nanoTime() > deadline) {
        AssertionError error =
            new AssertionError("timed out after " + timeout + " waiting for " + what);
        if (last != null) {
          error.initCause(last);
        }
        throw error;
      }
      sleep(POLL);
    }
  }

  static void until(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
    until(
        timeout,
        what,
        () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
