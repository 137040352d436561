package dev.meshgate.xds;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns file events into reloads, on one thread of its own (so a reload never runs twice at once).
 *
 * <p>With a zero quiet window (the default, issue 17.1) the first event reloads at once (leading
 * edge), and the events that arrive while a reload runs give exactly one more reload when it ends:
 * that one reads the files as they are then, so the last edit of a burst is always served and a
 * single edit waits for nothing. The running reload is the coalescing window: a burst during a
 * compile costs one compile, not one per event.
 *
 * <p>With a positive quiet window (the behaviour before, {@code --reload-debounce 20ms}) a reload
 * waits until no event came for that long, but no burst defers it by more than {@link #MAX_DEFER}:
 * a file that never stops changing is still reloaded. It exists for writers that rewrite a policy
 * file in place in several system calls, where reacting to the first event reads half a file.
 */
final class ReloadTrigger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadTrigger.class);

  /** A file that never stops changing (a log written beside the policy) still gets reloads. */
  static final Duration MAX_DEFER = Duration.ofSeconds(1);

  private final Duration quiet;
  private final Runnable reload;
  private final ScheduledExecutorService executor;

  // Leading edge: guarded by this.
  private boolean running;
  private boolean again;

  // Quiet window: guarded by this.
  private @Nullable ScheduledFuture<?> pending;

  /** When the first event of the burst that {@link #pending} waits out came. */
  private long burstStartNanos;

  private boolean closed;

  /**
   * When the first event not yet handed to a reload came (debug timing: how long an edit waited for
   * its reload to start and to end); guarded by this.
   */
  private long firstEventNanos;

  private boolean eventWaiting;

  ReloadTrigger(Duration quiet, Runnable reload) {
    if (quiet.isNegative()) {
      throw new IllegalArgumentException("quiet window must not be negative: " + quiet);
    }
    this.quiet = quiet;
    this.reload = reload;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "meshgate-policy-reload");
          t.setDaemon(true);
          return t;
        });
  }

  /** Something changed: reload now, after the running reload, or after the quiet window. */
  synchronized void signal() {
    if (closed) {
      return;
    }
    if (!eventWaiting) {
      eventWaiting = true;
      firstEventNanos = System.nanoTime();
    }
    if (quiet.isZero()) {
      if (running) {
        again = true; // one more reload once this one ends, however many events come meanwhile
      } else {
        running = true;
        executor.execute(this::runLeading);
      }
      return;
    }
    long now = System.nanoTime();
    if (pending != null && pending.cancel(false)) {
      long deferLeft = burstStartNanos + MAX_DEFER.toNanos() - now;
      long delay = Math.max(0, Math.min(quiet.toNanos(), deferLeft));
      pending = executor.schedule(this::runOnce, delay, TimeUnit.NANOSECONDS);
      return;
    }
    burstStartNanos = now;
    pending = executor.schedule(this::runOnce, quiet.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * As {@link #signal()}, {@code delay} from now: a reload the server wants without a file event
   * (to read once more files that were new at its start, {@link PolicyReloader#untilReadsSettle}).
   */
  synchronized void signalAfter(Duration delay) {
    if (!closed) {
      executor.schedule(this::signal, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void runLeading() {
    while (true) {
      runOnce();
      synchronized (this) {
        if (!again || closed) {
          running = false;
          return;
        }
        again = false;
      }
    }
  }

  private void runOnce() {
    long event;
    synchronized (this) {
      event = eventWaiting ? firstEventNanos : System.nanoTime();
      eventWaiting = false; // events from now on are the next reload's
    }
    long start = System.nanoTime();
    try {
      reload.run();
    } catch (RuntimeException | Error e) {
      LOG.error("policy reload failed unexpectedly", e);
    }
    if (LOG.isDebugEnabled()) {
      long end = System.nanoTime();
      LOG.debug(
          "reload timing: started {} ms after the file event, ran {} ms, {} ms from event to end",
          Millis.of(start - event),
          Millis.of(end - start),
          Millis.of(end - event));
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
