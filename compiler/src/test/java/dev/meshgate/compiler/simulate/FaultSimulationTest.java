package dev.meshgate.compiler.simulate;

import static dev.meshgate.compiler.simulate.PolicySimulatorTest.cluster;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.gateway;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.get;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator answers a certain abort (100% of the requests it applies to) with its status. */
class FaultSimulationTest {
  static final CompiledPolicy POLICY =
      gateway(
          """
            host "*" {
              route /always/** { to orders fault abort 503 }
              route /chaos/** { to orders fault abort 418 when header "x-chaos" }
              route /some/** { to orders fault abort 503 10% }
              route /slow/** { to orders fault delay 1s }
              route /grpc/** { to orders fault abort grpc 14 }
            }
          """);

  @Test
  void anAbortOfEveryRequestAnswersItsStatus() {
    assertThat(cluster(POLICY, get("x", "/always/a"))).isEqualTo("503");
  }

  @Test
  void aHeaderGatedAbortHitsOnlyRequestsWithTheHeader() {
    assertThat(
            cluster(
                POLICY,
                request(
                    "GET",
                    "x",
                    "/chaos/a",
                    List.of(new TestRequest.Param("x-chaos", "1")),
                    List.of())))
        .isEqualTo("418");
    assertThat(cluster(POLICY, get("x", "/chaos/a"))).isEqualTo("orders");
  }

  @Test
  void sharesDelaysAndGrpcAbortsLeaveTheRequestForwarded() {
    assertThat(cluster(POLICY, get("x", "/some/a"))).isEqualTo("orders");
    assertThat(cluster(POLICY, get("x", "/slow/a"))).isEqualTo("orders");
    assertThat(cluster(POLICY, get("x", "/grpc/a"))).isEqualTo("orders");
  }
}
