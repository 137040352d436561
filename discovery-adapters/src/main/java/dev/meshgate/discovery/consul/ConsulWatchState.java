package dev.meshgate.discovery.consul;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.Staleness;
import dev.meshgate.discovery.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link ConsulWatch} knows (the last endpoints Consul listed, whether they are stale) and
 * the subscriptions it feeds. Written by the watch's loop only; read by subscribing threads.
 */
final class ConsulWatchState {
  // Logged under ConsulCatalog's name, as before the class was split, so log configuration and
  // output stay the same.
  private static final Logger LOG = LoggerFactory.getLogger(ConsulCatalog.class);

  private final String label;
  private final Clock clock;

  /** Guards deliveries, so that calls for one subscription never overlap and stay in order. */
  private final ReentrantLock lock = new ReentrantLock();

  private final Condition answered = lock.newCondition();
  private final List<ConsulSubscriber> subs = new CopyOnWriteArrayList<>();
  private List<Endpoint> current; // guarded by lock; null until the first answer
  private volatile Staleness stale;

  ConsulWatchState(String label, Clock clock) {
    this.label = label;
    this.clock = clock;
  }

  Optional<Staleness> staleness() {
    return Optional.ofNullable(stale);
  }

  boolean isStale() {
    return stale != null;
  }

  /** Waits up to {@code timeout} for a first answer, or until {@code giveUp} says to stop. */
  void awaitFirstAnswer(Duration timeout, BooleanSupplier giveUp) {
    lock.lock();
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      // Short slices: `unreachable` is set without signalling when another watch fails.
      while (current == null && !giveUp.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        answered.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds a subscriber and tells it what is known now; {@code onCancel} runs when the returned
   * subscription is cancelled (once).
   */
  Subscription add(EndpointListener listener, Runnable onCancel) {
    ConsulSubscriber sub = new ConsulSubscriber(listener);
    lock.lock();
    try {
      subs.add(sub);
      if (current != null) {
        sub.deliver(current);
      }
      if (stale != null) {
        sub.error(new ConsulCatalog.ConsulUnavailableException(label + ": " + stale.reason()));
      }
    } finally {
      lock.unlock();
    }
    return () -> {
      if (!sub.cancel()) {
        return;
      }
      subs.remove(sub);
      onCancel.run();
    };
  }

  /**
   * Records a failed request: the first failure of an outage marks the endpoints stale and tells
   * every subscriber; later ones only update the reason.
   *
   * @return whether this was the first failure of the outage, and the staleness now recorded
   */
  Failure failed(Instant now, String reason, Exception cause) {
    boolean first;
    // Marking stale and telling the subscribers is one step under the lock: a subscriber
    // added in between would otherwise hear of the outage twice (once from add()).
    lock.lock();
    try {
      first = stale == null;
      if (first) {
        markStale(now, reason);
        notifyError(new ConsulCatalog.ConsulUnavailableException(label + ": " + reason, cause));
      } else {
        stale = new Staleness(label, stale.since(), reason, stale.endpoints());
      }
      return new Failure(first, stale);
    } finally {
      lock.unlock();
    }
  }

  /** What {@link #failed} recorded. */
  record Failure(boolean first, Staleness staleness) {}

  void markStale(Instant since, String reason) {
    stale = new Staleness(label, since, reason, knownCount());
  }

  /** A usable answer: no longer stale, and every subscriber gets the endpoints if they changed. */
  void accept(List<Endpoint> endpoints) {
    lock.lock();
    try {
      Staleness was = stale;
      if (was != null) {
        stale = null;
        LOG.info(
            "Consul answers again for {} after {}s: {} endpoints",
            label,
            was.age(clock.instant()).toSeconds(),
            endpoints.size());
      }
      if (endpoints.equals(current)) {
        return;
      }
      boolean first = current == null;
      current = endpoints;
      if (first) {
        answered.signalAll();
      }
      LOG.debug("{}: {} endpoints {}", label, endpoints.size(), endpoints);
      for (ConsulSubscriber sub : subs) {
        sub.deliver(endpoints);
      }
    } finally {
      lock.unlock();
    }
  }

  int knownCount() {
    lock.lock();
    try {
      return current == null ? 0 : current.size();
    } finally {
      lock.unlock();
    }
  }

  private void notifyError(Throwable error) {
    lock.lock();
    try {
      answered.signalAll(); // a subscriber waiting for a first answer should not wait any longer
      for (ConsulSubscriber sub : subs) {
        sub.error(error);
      }
    } finally {
      lock.unlock();
    }
  }
}
