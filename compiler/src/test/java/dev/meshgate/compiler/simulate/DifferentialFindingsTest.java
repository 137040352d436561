package dev.meshgate.compiler.simulate;

import static dev.meshgate.compiler.simulate.PolicySimulatorTest.gateway;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.get;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Disagreements between the simulator and a real Envoy found by integration-tests'
 * SimulatorDifferentialIT, each pinned here once fixed (the IT names its seed in the comment).
 */
class DifferentialFindingsTest {

  @Test
  void theUpstreamGetsTheRequestsHostOrTheRewrittenOne() {
    CompiledPolicy p =
        gateway(
            """
              host "*" {
                route /kept/** { to catalog }
                route /moved/** { to catalog  rewrite host "up.internal:8443" }
              }
            """);
    assertThat(
            ((SimulatedOutcome.Forwarded) outcome(p, get("Shop.Example:8080", "/kept/x")))
                .upstreamHeaders())
        .containsEntry("host", "Shop.Example:8080");
    assertThat(
            ((SimulatedOutcome.Forwarded) outcome(p, get("shop.example", "/moved/x")))
                .upstreamHeaders())
        .containsEntry("host", "up.internal:8443");
  }

  /**
   * Seed 20261205, policy #27: Envoy applies the route's, host's and gateway's response header
   * changes to the fault filter's local reply too (the connection manager finalizes every response
   * of a routed request); the simulator dropped them.
   */
  @Test
  void aFaultAbortKeepsTheResponseHeaderChangesOfEveryLevel() {
    CompiledPolicy p =
        gateway(
            """
              set response-header "x-g-gw" = "g"
              host "b.test" {
                add response-header "x-g-host" = "h"
                route /v1/** { to catalog  fault abort 429 when header "x-g-chaos"  set response-header "x-g-set" = "s2" }
              }
            """);
    SimulatedOutcome aborted =
        outcome(
            p,
            PolicySimulatorTest.request(
                "POST",
                "b.test",
                "/v1/x",
                List.of(new TestRequest.Param("x-g-chaos", "2")),
                List.of()));
    assertThat(aborted).isInstanceOf(SimulatedOutcome.DirectResponse.class);
    SimulatedOutcome.DirectResponse d = (SimulatedOutcome.DirectResponse) aborted;
    assertThat(d.status()).isEqualTo(429);
    assertThat(d.body()).isEqualTo("fault filter abort");
    assertThat(d.responseHeaders())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("x-g-set", "s2", "x-g-host", "h", "x-g-gw", "g"));
  }

  /**
   * Seed 777, policy #67 ({@code PUT a.test:8080//}): Envoy normalizes the path first and merges
   * slashes after, and its merge keeps a leading and a trailing slash, so a path of slashes only
   * stays {@code //}; the simulator merged first and made it {@code /}. The order matters for dot
   * segments after a double slash too: {@code ..} removes the empty segment, not {@code a}.
   */
  @Test
  void slashesAreMergedAfterDotSegmentsAndAPathOfSlashesStaysDoubled() {
    CompiledPolicy p =
        gateway(
            """
              host "*" {
                route / { respond 200 "root" }
                route /** { to catalog  rewrite prefix "/" => "/z/" }
              }
            """);
    assertThat(upstreamPath(p, "//")).isEqualTo("/z//");
    assertThat(upstreamPath(p, "///")).isEqualTo("/z//");
    assertThat(upstreamPath(p, "/.//")).isEqualTo("/z//");
    assertThat(upstreamPath(p, "/a//../c")).isEqualTo("/z/a/c");
    assertThat(upstreamPath(p, "//a//b//")).isEqualTo("/z/a/b/");
    assertThat(outcome(p, get("shop.example", "/./")))
        .isInstanceOf(SimulatedOutcome.DirectResponse.class);
  }

  private static String upstreamPath(CompiledPolicy p, String path) {
    SimulatedOutcome o = outcome(p, get("shop.example", path));
    assertThat(o).as(path).isInstanceOf(SimulatedOutcome.Forwarded.class);
    return ((SimulatedOutcome.Forwarded) o).upstreamPath();
  }
}
