package dev.meshgate.compiler.simulate;

import static dev.meshgate.compiler.simulate.PolicySimulatorTest.cluster;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.gateway;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import org.junit.jupiter.api.Test;

/**
 * external authorization (issue 12) is not simulated: the service's answer cannot be known, so a
 * route it decides is judged as if it allowed, and the simulation says so.
 */
class ExtAuthzSimulationTest {
  static final CompiledPolicy POLICY =
      gateway(
          """
            ext-authz "policy" { grpc "127.0.0.1:9191" }
            host "*" {
              route /decided/** { to orders  require ext-authz "policy" }
              route /** { to orders }
            }
          """);

  @Test
  void aDecidedRouteIsJudgedAsAllowedWithANote() {
    assertThat(cluster(POLICY, get("x", "/decided/a"))).isEqualTo("orders");
    assertThat(PolicySimulator.simulate(POLICY, get("x", "/decided/a")).notes())
        .singleElement()
        .asString()
        .contains("external authorization is not simulated")
        .contains("as if the service allowed");
  }

  @Test
  void aRouteNoServiceDecidesForwardsAsEver() {
    assertThat(cluster(POLICY, get("x", "/other"))).isEqualTo("orders");
  }
}
