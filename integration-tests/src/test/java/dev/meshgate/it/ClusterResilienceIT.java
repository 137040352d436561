package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster settings on a service (issue 14): circuit breakers and a retry budget, outlier detection
 * and active health checks with the panic threshold, and a subset's breaker replacing its
 * service's, proven with real traffic through one real Envoy configured by one {@code meshgate
 * serve}.
 */
@ExtendWith(PrintLogsOnFailure.class)
class ClusterResilienceIT {
  private static final String POLICY =
      """
      service breaker {
        source static ${slow}
        circuit-breaker { max-connections 2 max-pending 1 max-requests 2 }
      }
      service budget {
        source static ${flaky}
        circuit-breaker { retry-budget 0% min-retries 0 }
      }
      service trio {
        source static ${t1}, ${t2}, ${t3}
        outlier-detection { consecutive-5xx 3 interval 500ms base-ejection 1s max-ejected 50% }
      }
      service canary {
        source static ${canary} labels version=v2
        subset tight where version = "v2" {
          circuit-breaker { max-connections 1 max-pending 1 max-requests 1 }
        }
      }
      service checked {
        source static ${c1}, ${c2}, ${c3}
        health-check http "/healthz" { interval 300ms timeout 200ms unhealthy 1 healthy 1 }
        panic-threshold 50%
      }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /breaker/** { to breaker }
          route /budget/** { to budget  retry 2 on 5xx }
          route /trio/** { to trio }
          route /checked/** { to checked }
          route /canary/main/** { to canary }
          route /canary/tight/** { to canary.tight }
        }
      }
      """;

  @TempDir static Path work;
  static Backend slow;
  static Backend flaky;
  static Backend canary;
  static List<Backend> trio;
  static List<Backend> checked;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    slow = Backend.start("slow");
    flaky = Backend.start("flaky");
    canary = Backend.start("canary");
    trio = List.of(Backend.start("t1"), Backend.start("t2"), Backend.start("t3"));
    checked = List.of(Backend.start("c1"), Backend.start("c2"), Backend.start("c3"));
    int port = FreePorts.next();
    Map<String, Object> values =
        Map.of(
            "slow", slow.address(),
            "flaky", flaky.address(),
            "canary", canary.address(),
            "t1", trio.get(0).address(),
            "t2", trio.get(1).address(),
            "t3", trio.get(2).address(),
            "c1", checked.get(0).address(),
            "c2", checked.get(1).address(),
            "c3", checked.get(2).address(),
            "port", port);
    stack = GatewayStack.start(work, "edge", port, Policy.render(POLICY, values));
  }

  @BeforeEach
  void resetBackends() {
    slow.reset();
    flaky.reset();
    canary.reset();
    trio.forEach(Backend::reset);
    checked.forEach(Backend::reset);
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    List<AutoCloseable> all = new ArrayList<>(List.of(stack, slow, flaky, canary));
    all.addAll(trio);
    all.addAll(checked);
    Closer.closeAll(all.toArray(AutoCloseable[]::new));
  }

  @Test
  void aBurstOverTheLimitFailsFastAndTheRestSucceed() throws Exception {
    slow.delay(Duration.ofMillis(1500));
    int burst = 10;
    List<Future<Timed>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < burst; i++) {
        futures.add(
            pool.submit(() -> {
              long start = System.nanoTime();
              HttpResponse<String> r = Http.get(stack.url("/breaker/x"));
              return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
            }));
      }
      int served = 0;
      int overloaded = 0;
      for (Future<Timed> f : futures) {
        Timed t = f.get();
        if (t.response().statusCode() == 200) {
          served++;
          assertThat(t.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        } else {
          overloaded++;
          assertThat(t.response().statusCode()).isEqualTo(503);
          assertThat(t.response().headers().firstValue("x-envoy-overloaded")).hasValue("true");
          assertThat(t.elapsed())
              .as("an overflow fails at once")
              .isLessThan(Duration.ofMillis(1000));
        }
      }
      // Two requests in flight (and at most one queued) are served; the others overflow. A request
      // waiting for its connection counts as pending, so on a busy machine the second request can
      // find the one pending slot taken by the first and overflow too: one served is still right.
      assertThat(served).isBetween(1, 3);
      assertThat(overloaded).isEqualTo(burst - served);
      assertThat(slow.requests())
          .as("overflowing requests never reach the backend")
          .isEqualTo(served);
    }
    assertThat(stack.envoy().stat("cluster.breaker.upstream_rq_pending_overflow").orElse(0))
        .isGreaterThanOrEqualTo(burst - 3);
  }

  private record Timed(HttpResponse<String> response, Duration elapsed) {}

  /**
   * A subset's breaker replaces its service's for the subset's cluster only (issue 14): the same
   * burst to the same backend overflows through {@code canary.tight} and is served whole through
   * {@code canary}, whose breaker is Envoy's default.
   */
  @Test
  void aSubsetsBreakerAppliesToTheSubsetsClusterOnly() throws Exception {
    canary.delay(Duration.ofMillis(1000));
    int burst = 6;
    List<Timed> main = burst("/canary/main/x", burst);
    assertThat(main).allSatisfy(t -> assertThat(t.response().statusCode()).isEqualTo(200));
    assertThat(canary.requests()).isEqualTo(burst);

    canary.reset();
    canary.delay(Duration.ofMillis(1000));
    List<Timed> tight = burst("/canary/tight/x", burst);
    long served = tight.stream().filter(t -> t.response().statusCode() == 200).count();
    List<Timed> overloaded = tight.stream().filter(t -> t.response().statusCode() != 200).toList();
    // One connection and one waiting request (a request waits while its connection opens, too):
    // one or two are served, the others overflow at once.
    assertThat(served).isBetween(1L, 2L);
    assertThat(overloaded)
        .hasSize(burst - (int) served)
        .allSatisfy(t -> {
          assertThat(t.response().statusCode()).isEqualTo(503);
          assertThat(t.response().headers().firstValue("x-envoy-overloaded")).hasValue("true");
          assertThat(t.elapsed()).isLessThan(Duration.ofMillis(800));
        });
    assertThat(canary.requests()).isEqualTo((int) served);
    assertThat(stack.envoy().stat("cluster.canary.tight.upstream_rq_pending_overflow").orElse(0))
        .isGreaterThanOrEqualTo(burst - 2);
    assertThat(stack.envoy().stat("cluster.canary.upstream_rq_pending_overflow").orElse(0))
        .isZero();
  }

  /** {@code n} concurrent GETs, each timed. */
  private static List<Timed> burst(String path, int n) throws Exception {
    List<Future<Timed>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(() -> {
              long start = System.nanoTime();
              HttpResponse<String> r = Http.get(stack.url(path));
              return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
            }));
      }
      List<Timed> out = new ArrayList<>();
      for (Future<Timed> f : futures) {
        out.add(f.get());
      }
      return out;
    }
  }

  @Test
  void aRetryBudgetOfZeroLetsNoRetryThrough() {
    flaky.failNext(1, 503);
    HttpResponse<String> r = Http.get(stack.url("/budget/x"));
    assertThat(r.statusCode()).as("the retry was over budget").isEqualTo(503);
    assertThat(flaky.requests()).isEqualTo(1);
    assertThat(stack.envoy().stat("cluster.budget.upstream_rq_retry_overflow").orElse(0))
        .isPositive();
  }

  @Test
  void aFailingEndpointIsEjectedAndReturnsAfterTheEjectionTime() {
    Backend bad = trio.get(2);
    bad.failNext(Integer.MAX_VALUE, 500);
    // Three 5xx in a row from t3 eject it; until then round robin gives it every third request.
    Wait.until(
        Duration.ofSeconds(10),
        "t3 ejected",
        () ->
            Optional.of(true)
                .filter(x -> {
                  Set<String> seen = backendsOf(30, "/trio/x");
                  return !seen.contains("t3") && seen.equals(Set.of("t1", "t2"));
                }));
    assertThat(
            stack
                .envoy()
                .stat("cluster.trio.outlier_detection.ejections_enforced_consecutive_5xx")
                .orElse(0))
        .isPositive();
    int before = bad.requests();
    assertThat(backendsOf(30, "/trio/x")).isEqualTo(Set.of("t1", "t2"));
    assertThat(bad.requests()).as("an ejected endpoint gets no traffic").isEqualTo(before);

    bad.reset();
    // Back after the base ejection time (1 s), at the next 500 ms sweep.
    Wait.until(
        Duration.ofSeconds(10),
        "t3 back",
        () -> Optional.of(true).filter(x -> backendsOf(9, "/trio/x").contains("t3")));
  }

  @Test
  void anEndpointWhoseHealthPathFailsGetsNoTraffic() {
    Backend sick = checked.get(1);
    sick.failPath("/healthz", 503);
    Wait.until(
        Duration.ofSeconds(10),
        "c2 marked unhealthy",
        () ->
            Optional.of(true).filter(x -> backendsOf(20, "/checked/x").equals(Set.of("c1", "c3"))));
    assertThat(backendsOf(30, "/checked/x")).isEqualTo(Set.of("c1", "c3"));

    sick.reset();
    Wait.until(
        Duration.ofSeconds(10),
        "c2 healthy again",
        () -> Optional.of(true).filter(x -> backendsOf(9, "/checked/x").contains("c2")));
  }

  @Test
  void whenEveryEndpointIsUnhealthyThePanicThresholdSpreadsTraffic() {
    long panicsBefore = stack.envoy().stat("cluster.checked.lb_healthy_panic").orElse(0);
    checked.forEach(b -> b.failPath("/healthz", 503));
    Wait.until(
        Duration.ofSeconds(10),
        "every endpoint unhealthy",
        () ->
            Optional.of(true)
                .filter(x ->
                    stack
                            .envoy()
                            .clusters()
                            .lines()
                            .filter(l ->
                                l.startsWith("checked::")
                                    && l.contains("health_flags::/failed_active_hc"))
                            .count()
                        == 3));
    // Below 50% healthy Envoy panics: it sends traffic to every endpoint rather than to none.
    Wait.until(
        Duration.ofSeconds(10),
        "traffic to every endpoint in panic; clusters: " + stack.envoy().clusters(),
        () ->
            Optional.of(true)
                .filter(x -> backendsOf(30, "/checked/x").equals(Set.of("c1", "c2", "c3"))));
    assertThat(stack.envoy().stat("cluster.checked.lb_healthy_panic").orElse(0))
        .isGreaterThan(panicsBefore);
    checked.forEach(Backend::reset);
    Wait.until(
        Duration.ofSeconds(10),
        "every endpoint healthy again",
        () ->
            Optional.of(true)
                .filter(x ->
                    stack
                        .envoy()
                        .clusters()
                        .lines()
                        .noneMatch(
                            l -> l.startsWith("checked::") && l.contains("failed_active_hc"))));
  }

  /** Which backends served {@code n} requests; every one must succeed. */
  private static Set<String> backendsOf(int n, String path) {
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = Http.get(stack.url(path));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      seen.add(Http.json(r).path("backend").asText());
    }
    return seen;
  }
}
