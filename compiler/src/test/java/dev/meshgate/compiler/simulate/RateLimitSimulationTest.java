package dev.meshgate.compiler.simulate;

import static dev.meshgate.compiler.simulate.PolicySimulatorTest.cluster;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.gateway;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * local rate limits (issue 13): one request never empties a bucket of at least one token, so a
 * limited route forwards (or answers) as it would without its limit; the last request of a burst
 * ({@code expect burst N …}) larger than the bucket gets 429.
 */
class RateLimitSimulationTest {
  static final CompiledPolicy POLICY =
      gateway(
          """
            rate-limit 100 per 1s
            host "*" {
              route /keyed/** { to orders  rate-limit 1 per 1h by header "x-api-key" }
              route /dry/** { to orders  rate-limit 1 per 1h dry-run }
              route /answered { respond 204  rate-limit 1 per 1h }
              route /** { to orders }
            }
          """);

  @Test
  void aLimitedRouteStillForwards() {
    assertThat(cluster(POLICY, get("x", "/keyed/a"))).isEqualTo("orders");
    assertThat(cluster(POLICY, get("x", "/dry/a"))).isEqualTo("orders");
    assertThat(cluster(POLICY, get("x", "/other"))).isEqualTo("orders");
  }

  @Test
  void aLimitedDirectResponseStillAnswers() {
    assertThat(cluster(POLICY, get("x", "/answered"))).isEqualTo("204");
  }

  static final CompiledPolicy BURSTS =
      gateway(
          """
            rate-limit service "127.0.0.1:8081"
            host "*" {
              route /plain/** { to orders  rate-limit 10 per 1s }
              route /burst/** { to orders  rate-limit 10 per 1s burst 20 }
              route /keyed/** { to orders  rate-limit 3 per 1h by header "x-api-key" }
              route /dry/** { to orders  rate-limit 1 per 1h dry-run }
              route /answered { respond 204  rate-limit 2 per 1h }
              route /global/** { to orders  rate-limit 5 per 1s global }
              route /** { to orders }
            }
          """);

  static SimulatedOutcome burst(int n, TestRequest request) {
    return PolicySimulator.simulate(BURSTS, request, n).outcome();
  }

  @Test
  void theLastRequestOfABurstBeyondTheBucketIs429() {
    assertThat(burst(10, get("x", "/plain/a"))).isInstanceOf(SimulatedOutcome.Forwarded.class);
    assertThat(burst(11, get("x", "/plain/a")))
        .isInstanceOfSatisfying(
            SimulatedOutcome.RateLimited.class,
            r -> {
              assertThat(r.bucket()).isEqualTo(10);
              assertThat(r.responseHeaders()).containsEntry("retry-after", "1");
            });
  }

  @Test
  void burstIsTheBucketSize() {
    assertThat(burst(20, get("x", "/burst/a"))).isInstanceOf(SimulatedOutcome.Forwarded.class);
    assertThat(burst(21, get("x", "/burst/a"))).isInstanceOf(SimulatedOutcome.RateLimited.class);
  }

  @Test
  void aKeyedBurstTakesFromItsKeysBucketAndAnUnkeyedOneFromTheDefault() {
    TestRequest keyed =
        PolicySimulatorTest.request(
            "GET", "x", "/keyed/a", List.of(new TestRequest.Param("x-api-key", "k1")), List.of());
    assertThat(burst(3, keyed)).isInstanceOf(SimulatedOutcome.Forwarded.class);
    assertThat(burst(4, keyed)).isInstanceOf(SimulatedOutcome.RateLimited.class);
    assertThat(burst(4, get("x", "/keyed/a"))).isInstanceOf(SimulatedOutcome.RateLimited.class);
  }

  @Test
  void aDryRunBurstPassesWithANote() {
    Simulation s = PolicySimulator.simulate(BURSTS, get("x", "/dry/a"), 5);
    assertThat(s.outcome()).isInstanceOf(SimulatedOutcome.Forwarded.class);
    assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("dry-run"));
  }

  @Test
  void aDirectResponseIsLimitedToo() {
    assertThat(burst(2, get("x", "/answered"))).isInstanceOf(SimulatedOutcome.DirectResponse.class);
    assertThat(burst(3, get("x", "/answered"))).isInstanceOf(SimulatedOutcome.RateLimited.class);
  }

  @Test
  void aRouteWithoutALimitPassesEveryBurst() {
    assertThat(burst(1000, get("x", "/other"))).isInstanceOf(SimulatedOutcome.Forwarded.class);
  }

  @Test
  void aGlobalLimitsBurstIsNotSimulated() {
    assertThat(burst(6, get("x", "/global/a")))
        .isInstanceOfSatisfying(
            SimulatedOutcome.NotSimulated.class,
            n -> assertThat(n.reason()).contains("global rate limit"));
    // One request is judged as before: the service's answer to it is not known either.
    assertThat(burst(1, get("x", "/global/a"))).isInstanceOf(SimulatedOutcome.Forwarded.class);
  }

  @Test
  void policyTestsJudgeBursts() {
    CompiledPolicy policy =
        gateway(
            """
              host "api.example" {
                route /limited/** { to orders  rate-limit 10 per 1s }
                route /** { to orders }
              }
            }

            test "bursts" {
              expect burst 10 GET api.example/limited/x via edge => orders
              expect burst 11 GET api.example/limited/x via edge => 429
                with response-header "retry-after" = "1"
              expect burst 11 GET api.example/open via edge => 429
            """);
    List<TestResult> results = PolicySimulator.run(policy);
    List<ExpectationResult> r = results.getFirst().expectations();
    assertThat(r.get(0).passed()).as(r.get(0).problems().toString()).isTrue();
    assertThat(r.get(1).passed()).as(r.get(1).problems().toString()).isTrue();
    assertThat(r.get(2).passed()).isFalse();
    assertThat(r.get(2).problems())
        .containsExactly(
            "expected 429, got orders (forwarded upstream, whose backend decides the status)");
    assertThat(r.get(2).simulation().notes())
        .anySatisfy(n -> assertThat(n).contains("has no local rate limit: all 11 requests"));
    assertThat(TestReport.render(results.getFirst())).contains("burst 11 GET api.example/open");
  }
}
