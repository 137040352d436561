package dev.meshgate.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Records what a subscription's listener gets, checks calls never overlap, and waits for a state.
 */
final class Recorder implements EndpointListener {
  // Generous: only failures wait this long, and on a loaded 2-core CI machine fabric8's
  // re-watch backoff alone can take several seconds.
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final List<List<Endpoint>> lists = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean overlapped;

  @Override
  public void onEndpoints(List<Endpoint> endpoints) {
    enter();
    lists.add(endpoints);
    leave();
  }

  @Override
  public void onError(Throwable error) {
    enter();
    errors.add(error);
    leave();
  }

  private void enter() {
    if (inFlight.incrementAndGet() != 1) {
      overlapped = true;
    }
  }

  private synchronized void leave() {
    inFlight.decrementAndGet();
    notifyAll();
  }

  Optional<List<Endpoint>> latest() {
    return lists.isEmpty() ? Optional.empty() : Optional.of(lists.getLast());
  }

  /** Waits until the latest list, summarized by {@link #summary}, is exactly {@code expected}. */
  List<Endpoint> awaitSummary(String... expected) {
    return awaitSummaryWithin(TIMEOUT, expected);
  }

  List<Endpoint> awaitSummaryWithin(Duration timeout, String... expected) {
    return await(
        l -> summary(l).equals(List.of(expected)), "endpoints " + List.of(expected), timeout);
  }

  List<Endpoint> await(Predicate<List<Endpoint>> condition, String what) {
    return await(condition, what, TIMEOUT);
  }

  private List<Endpoint> await(Predicate<List<Endpoint>> condition, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        var latest = latest();
        if (latest.isPresent() && condition.test(latest.get())) {
          assertThat(overlapped).as("listener calls overlapped").isFalse();
          return latest.get();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "timed out after "
                  + timeout.toSeconds()
                  + " s waiting for "
                  + what
                  + "; lists received: "
                  + lists.stream().map(Recorder::summary).toList()
                  + "; errors: "
                  + errors);
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  void awaitError(Predicate<Throwable> condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    synchronized (this) {
      while (errors.stream().noneMatch(condition)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for " + what + "; errors: " + errors);
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /**
   * Polls {@code condition} (a state to reach, not a delay) until it holds or the timeout passes.
   */
  static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** "host:port version zone", plus " unhealthy" for not-ready endpoints. */
  static List<String> summary(List<Endpoint> endpoints) {
    return endpoints.stream()
        .map(e ->
            e.host()
                + ":"
                + e.port()
                + " "
                + e.labels().getOrDefault("version", "-")
                + " "
                + e.zone().orElse("-")
                + (e.healthy() ? "" : " unhealthy"))
        .toList();
  }
}
