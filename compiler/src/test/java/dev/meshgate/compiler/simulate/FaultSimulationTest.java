package dev.meshgate.compiler.simulate;

import static dev.meshgate.compiler.simulate.PolicySimulatorTest.cluster;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.gateway;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.get;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Source;
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
    assertThat(cluster(POLICY, get("x", "/always/a"))).isEqualTo("fault 503");
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
        .isEqualTo("fault 418");
    assertThat(cluster(POLICY, get("x", "/chaos/a"))).isEqualTo("orders");
  }

  @Test
  void sharesDelaysAndGrpcAbortsLeaveTheRequestForwarded() {
    assertThat(cluster(POLICY, get("x", "/some/a"))).isEqualTo("orders");
    assertThat(cluster(POLICY, get("x", "/slow/a"))).isEqualTo("orders");
    assertThat(cluster(POLICY, get("x", "/grpc/a"))).isEqualTo("orders");
  }

  /** `=> fault S` holds only for an abort; `=> S` holds for an abort and a respond alike. */
  @Test
  void aFaultExpectationTellsAnAbortFromARespondWithTheSameStatus() {
    String policy =
        PolicySimulatorTest.SERVICES
            + """
            gateway edge {
              listen :8080
              host "*" {
                route /always/** { to orders fault abort 503 }
                route /busy/** { respond 503 "busy" }
              }
            }
            test "faults" {
              expect GET x/always/a via edge => fault 503
              expect GET x/always/a via edge => 503
              expect GET x/busy/a via edge => 503
            }
            test "a respond is no fault" {
              expect GET x/busy/a via edge => fault 503
            }
            test "an abort is no other status" {
              expect GET x/always/a via edge => fault 500
            }
            """;
    var compilation = Compiler.compile(List.of(new Source("t.mesh", policy)));
    assertThat(compilation.diagnostics()).noneMatch(d -> d.isError());
    List<TestResult> results = PolicySimulator.run(compilation.policy().orElseThrow());
    assertThat(results).extracting(TestResult::passed).containsExactly(true, false, false);
    assertThat(results.get(1).expectations().getFirst().problems())
        .containsExactly("expected fault 503, got 503 \"busy\" (answered by the gateway)");
    assertThat(results.get(2).expectations().getFirst().problems())
        .containsExactly(
            "expected fault 500, got fault 503 \"fault filter abort\" (a fault abort by the"
                + " gateway)");
  }
}
