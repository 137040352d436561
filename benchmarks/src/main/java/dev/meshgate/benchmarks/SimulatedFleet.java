package dev.meshgate.benchmarks;

import dev.meshgate.compiler.ProxyGroup;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The load harness's simulated Envoys, spread round robin over the policy's groups. A {@link
 * #retrying} fleet opens a failed stream again after Envoy's backoff, as real Envoys do (the load
 * harness); otherwise a failed stream stays failed and is reported as such (PeerComparison).
 */
final class SimulatedFleet {
  private final List<SimulatedEnvoy> envoys = new ArrayList<>();
  private final Optional<ScheduledExecutorService> retries;
  private int groupCount = 1;

  /** A fleet whose failed streams stay failed. */
  SimulatedFleet() {
    this(Optional.empty());
  }

  private SimulatedFleet(Optional<ScheduledExecutorService> retries) {
    this.retries = retries;
  }

  /**
   * A fleet whose failed streams are opened again ({@link StreamRetry}), all on one daemon thread:
   * opening a stream is a few requests, and a run that ends must not wait for a pending retry.
   */
  static SimulatedFleet retrying() {
    return new SimulatedFleet(
        Optional.of(
            Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("simulated-envoy-retries").daemon().factory())));
  }

  /**
   * What every proxy got, in the order the proxies were started, the streams that failed or wait to
   * be opened again at the end, and how many streams were opened again after an error in all.
   */
  record Tally(
      Map<String, Map<String, Integer>> resourcesByProxy,
      long responses,
      List<String> failures,
      int reopened) {}

  /** When proxies had all four types, in ns after their stream opened, and the last of them. */
  record Served(List<Long> latencies, long lastNanos) {}

  /** Something to time: an edit of the policy or of the catalog. */
  @FunctionalInterface
  interface Change {
    void apply() throws IOException;
  }

  int size() {
    return envoys.size();
  }

  /**
   * Starts {@code proxies} Envoys, proxy i in group {@code i % groups}, each group's proxies over
   * its channels in turn, delta xDS for those {@code delta} picks, state of the world for the rest.
   */
  void start(int proxies, List<ProxyGroup> groups, HarnessChannels channels, IntPredicate delta) {
    this.groupCount = groups.size();
    for (int i = 0; i < proxies; i++) {
      ProxyGroup group = groups.get(i % groups.size());
      SimulatedEnvoy envoy = new SimulatedEnvoy("proxy-" + i, group, delta.test(i));
      retries.ifPresent(envoy::retryOn);
      envoy.start(channels.forProxy(group, i / groups.size()));
      envoys.add(envoy);
    }
  }

  List<SimulatedEnvoy> envoys() {
    return List.copyOf(envoys);
  }

  /**
   * The reconnect storm: every stream is closed at once (every channel shut down, as when the
   * server restarts or a load balancer drops its connections) and every proxy opens a new one over
   * new channels, with no state (an Envoy keeps its config, but asks again from nothing), at once:
   * no backoff, which is for a stream that failed. Times from the closing until every proxy has all
   * four types again, retries included; a proxy whose new stream failed is counted as refused (and,
   * when retrying, is served once a reopened stream is).
   */
  XdsLoadHarness.Storm reconnectStorm(int xdsPort, HarnessChannels channels, long deadline)
      throws IOException, InterruptedException {
    // The new channels (TLS contexts included) are built first: a real fleet builds them on its
    // own machines, in parallel, so building them one by one here would time the harness.
    List<ManagedChannel> old = channels.reopen(xdsPort);
    envoys.forEach(SimulatedEnvoy::drop);
    int[] reopenedBefore = envoys.stream().mapToInt(SimulatedEnvoy::reopened).toArray();
    long stormNanos = System.nanoTime();
    old.forEach(ManagedChannel::shutdownNow);
    for (int i = 0; i < envoys.size(); i++) {
      SimulatedEnvoy envoy = envoys.get(i);
      envoy.start(channels.forProxy(envoy.group, i / groupCount));
    }
    Served served = awaitServed(stormNanos, deadline);
    int refused = 0;
    int reopened = 0;
    for (int i = 0; i < envoys.size(); i++) {
      SimulatedEnvoy e = envoys.get(i);
      int again = e.reopened() - reopenedBefore[i];
      reopened += again;
      if (again > 0 || e.failure() != null || e.down().isPresent()) {
        refused++;
      }
    }
    return new XdsLoadHarness.Storm(
        served.latencies().size(),
        envoys.size(),
        refused,
        reopened,
        HarnessMetrics.percentile(served.latencies(), 0.50),
        HarnessMetrics.percentile(served.latencies(), 0.99),
        HarnessMetrics.millis(served.lastNanos() - stormNanos));
  }

  /**
   * Waits until every proxy has all four types or failed for good (or the deadline): a retrying
   * proxy is waited for.
   */
  Served awaitServed(long connectNanos, long deadline) throws InterruptedException {
    awaitAll(e -> e.servedAtNanos() != 0 || e.failure() != null, deadline);
    List<Long> latencies = new ArrayList<>();
    long lastServed = connectNanos;
    for (SimulatedEnvoy e : envoys) {
      if (e.servedAtNanos() != 0) {
        latencies.add(e.servedAtNanos() - e.openedAtNanos());
        lastServed = Math.max(lastServed, e.servedAtNanos());
      }
    }
    return new Served(latencies, lastServed);
  }

  /**
   * Applies a change and waits until every proxy has a version of {@code type} other than the one
   * it had before (or the deadline), then weighs the heap.
   */
  XdsLoadHarness.Fanout timeChange(String what, String type, long deadline, Change change)
      throws IOException, InterruptedException {
    return timeChange(what, type, deadline, change, e -> true, HarnessMetrics::usedHeapAfterGc);
  }

  /**
   * Applies a change that only the {@code expected} proxies should get, waits until each of them
   * has a new version of {@code type} (or the deadline), then waits {@link #BYSTANDER_GRACE} more
   * and counts the other proxies that got a new version too (bystanders: a change pushed wider than
   * it had to be), then weighs the heap with {@code heap} (a server in its own JVM weighs its own).
   */
  XdsLoadHarness.Fanout timeChange(
      String what,
      String type,
      long deadline,
      Change change,
      Predicate<SimulatedEnvoy> expected,
      LongSupplier heap)
      throws IOException, InterruptedException {
    Map<SimulatedEnvoy, String> before = new LinkedHashMap<>();
    for (SimulatedEnvoy e : envoys) {
      before.put(e, e.seen(type).version());
    }
    Predicate<SimulatedEnvoy> changed = e -> !e.seen(type).version().equals(before.get(e));
    long changedAt = System.nanoTime();
    change.apply();
    awaitAll(e -> !expected.test(e) || changed.test(e) || e.failure() != null, deadline);
    List<Long> latencies = new ArrayList<>();
    int expectedCount = 0;
    for (SimulatedEnvoy e : envoys) {
      if (expected.test(e)) {
        expectedCount++;
        if (changed.test(e)) {
          latencies.add(e.seen(type).atNanos() - changedAt);
        }
      }
    }
    int bystanders = 0;
    if (expectedCount < envoys.size()) {
      Thread.sleep(BYSTANDER_GRACE.toMillis());
      bystanders = (int) envoys.stream().filter(expected.negate().and(changed)).count();
    }
    long heapBytes = heap.getAsLong();
    return new XdsLoadHarness.Fanout(
        what,
        latencies.size(),
        expectedCount,
        HarnessMetrics.percentile(latencies, 0.50),
        HarnessMetrics.percentile(latencies, 0.99),
        HarnessMetrics.percentile(latencies, 1.0),
        heapBytes,
        bystanders);
  }

  /** How long a change only some proxies expect is given to reach any other proxy. */
  static final java.time.Duration BYSTANDER_GRACE = java.time.Duration.ofMillis(250);

  /** Resources and responses per proxy and type, and the streams that failed. */
  Tally tally() {
    Map<String, Map<String, Integer>> resources = new LinkedHashMap<>();
    long responses = 0;
    List<String> failures = new ArrayList<>();
    int reopened = 0;
    for (SimulatedEnvoy e : envoys) {
      reopened += e.reopened();
      Map<String, Integer> byType = new LinkedHashMap<>();
      for (String type : SimulatedEnvoy.TYPES) {
        byType.put(shortName(type), e.seen(type).resources());
        responses += e.seen(type).responses();
      }
      resources.put(e.id, byType);
      if (e.failure() != null) {
        failures.add(e.id + ": " + e.failure());
      } else if (e.down().isPresent()) {
        failures.add(e.id + ": " + e.down().get() + " (its stream waits to be opened again)");
      }
    }
    return new Tally(resources, responses, failures, reopened);
  }

  /** Streams opened again after an error so far, over the fleet. */
  int reopened() {
    return envoys.stream().mapToInt(SimulatedEnvoy::reopened).sum();
  }

  void stop() {
    retries.ifPresent(ScheduledExecutorService::shutdownNow); // pending retries are dropped
    envoys.forEach(SimulatedEnvoy::stop);
  }

  private void awaitAll(Predicate<SimulatedEnvoy> done, long deadline) throws InterruptedException {
    while (System.nanoTime() - deadline < 0) {
      if (envoys.stream().allMatch(done)) {
        return;
      }
      Thread.sleep(2);
    }
  }

  private static String shortName(String typeUrl) {
    return switch (typeUrl) {
      case SimulatedEnvoy.CDS -> "CDS";
      case SimulatedEnvoy.EDS -> "EDS";
      case SimulatedEnvoy.LDS -> "LDS";
      case SimulatedEnvoy.RDS -> "RDS";
      default -> typeUrl;
    };
  }
}
