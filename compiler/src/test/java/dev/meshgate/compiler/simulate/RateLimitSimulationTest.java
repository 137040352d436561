package dev.meshgate.compiler.simulate;

import static dev.meshgate.compiler.simulate.PolicySimulatorTest.cluster;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.gateway;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import org.junit.jupiter.api.Test;

/**
 * local rate limits (issue 13) are not simulated: one request never empties a bucket of at least
 * one token, so a limited route forwards (or answers) as it would without its limit.
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
}
