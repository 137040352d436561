package dev.meshgate.xds;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The end of the compiler warm-up: a few more compiles, each started and followed by a wait until
 * the JIT has gone quiet, until a compile gives the JIT next to nothing to do (issue 17.1).
 *
 * <p>Why: on 2 cores the JIT has one C2 thread, and during the warm-up its queue is long (the
 * server's start, the warm-up's own compiles), and a long queue raises the counts a method needs
 * before C2 takes it. When the warm-up ended, the reload path's hottest methods were still in C1's
 * profiling tier ({@code ServiceChecks.service} after 43,000 calls), and C2 only took them when the
 * first real edits called them again: 212 C2 compiles during a fresh server's first eight edits at
 * 1,000 services, which took about twice the time of later ones (docs/benchmarks.md, "2026-12-07
 * (midnight: the JIT after the warm-up)"). A compile started once the queue is empty lets those
 * methods ask again at the normal counts, and the wait after it lets C2 finish before the next one.
 */
final class JitCatchUp {
  /** How long the JIT's compile time must stand still to count as quiet. */
  static final Duration QUIET = Duration.ofMillis(200);

  /** The longest wait for quiet before looking again whether the server is busy. */
  static final Duration MAX_WAIT = Duration.ofSeconds(3);

  /**
   * The catch-up's whole wall time at most. It compiles only once the JIT is quiet and the server
   * idle, so while a fleet connects (the JIT busy for seconds) it compiles nothing: the JIT work a
   * compile sets off would land in the connect.
   */
  static final Duration GIVE_UP = Duration.ofSeconds(60);

  /** A compile that gives the JIT less than this much work ends the catch-up. */
  static final long ENOUGH_MILLIS = 10;

  private static final long POLL_MILLIS = 10;

  private final LongSupplier jitMillis;
  private final Duration quiet;
  private final BooleanSupplier closed;

  /**
   * @param jitMillis the JIT's total compile time so far, in milliseconds
   * @param quiet how long it must stand still to count as quiet
   * @param closed true once the warm-up should stop waiting
   */
  JitCatchUp(LongSupplier jitMillis, Duration quiet, BooleanSupplier closed) {
    this.jitMillis = jitMillis;
    this.quiet = quiet;
    this.closed = closed;
  }

  /** This JVM's JIT, where the JVM measures its compile time. */
  static Optional<LongSupplier> thisJvm() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? Optional.of(jit::getTotalCompilationTime)
        : Optional.empty();
  }

  /**
   * Waits until the JIT's compile time has stood still for the quiet period and returns it; empty
   * when it did not within {@link #MAX_WAIT}, or when closed.
   */
  OptionalLong quietWithin() throws InterruptedException {
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    long last = jitMillis.getAsLong();
    long stillSince = System.nanoTime();
    while (!closed.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MILLIS);
      long now = jitMillis.getAsLong();
      if (now != last) {
        last = now;
        stillSince = System.nanoTime();
      } else if (System.nanoTime() - stillSince >= quiet.toNanos()) {
        return OptionalLong.of(now);
      }
    }
    return OptionalLong.empty();
  }

  /** The JIT's compile time so far. */
  long millis() {
    return jitMillis.getAsLong();
  }
}
