package dev.meshgate.discovery.consul;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records what a subscription receives, for tests to wait on. */
final class Recorder implements EndpointListener {
  final BlockingQueue<List<Endpoint>> updates = new LinkedBlockingQueue<>();
  final List<List<Endpoint>> all = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  volatile List<Endpoint> last;

  @Override
  public void onEndpoints(List<Endpoint> endpoints) {
    last = endpoints;
    all.add(endpoints);
    updates.add(endpoints);
  }

  @Override
  public void onError(Throwable error) {
    errors.add(error);
  }

  /** Waits for an update that satisfies {@code condition}, skipping others. */
  List<Endpoint> await(Predicate<List<Endpoint>> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Endpoint> seen = last;
    if (seen != null && condition.test(seen)) {
      updates.clear();
      return seen;
    }
    while (true) {
      long left = deadline - System.nanoTime();
      List<Endpoint> next = left <= 0 ? null : updates.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new AssertionError(
            "no matching update within " + timeout + "; last: " + last + "; all: " + all);
      }
      if (condition.test(next)) {
        return next;
      }
    }
  }

  static Predicate<List<Endpoint>> ports(Integer... ports) {
    List<Integer> wanted = List.of(ports);
    return list ->
        list.stream()
            .map(Endpoint::port)
            .sorted()
            .toList()
            .equals(wanted.stream().sorted().toList());
  }
}
