package dev.meshgate.compiler.simulate;

import static dev.meshgate.compiler.simulate.PolicySimulatorTest.compile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * api keys (issue 12): the simulator answers 401 without a key and 403 for a client a route does
 * not list, from the compiled api_key_auth configs; {@code with api-key client "c"} is a valid key.
 */
class ApiKeySimulationTest {
  static final CompiledPolicy COMPILED =
      compile(
          """
          service api { source static 127.0.0.1:9001 }
          gateway edge {
            listen :8080
            api-keys "partners" { keys file "/etc/meshgate/partners.keys" }
            host "api.example" {
              require api-key "partners"
              route /orders/** {
                require api-key "partners" clients "acme"
                to api
              }
              route /public/** {
                require none
                to api
              }
              route /** { to api }
            }
          }
          """);

  private static String outcome(String path, Optional<String> client) {
    var request =
        new TestRequest.ViaGateway(
            "edge", "GET", "api.example", path, List.of(), List.of(), false, Map.of(), client);
    return PolicySimulator.simulate(COMPILED, request).outcome().toString();
  }

  @Test
  void aMissingKeyIs401AndAClientNotListed403() {
    assertThat(outcome("/x", Optional.empty())).startsWith("401");
    assertThat(outcome("/x", Optional.of("initech"))).isEqualTo("api");
    assertThat(outcome("/orders/1", Optional.of("acme"))).isEqualTo("api");
    assertThat(outcome("/orders/1", Optional.of("initech"))).startsWith("403");
    assertThat(outcome("/public/a", Optional.empty())).as("require none").isEqualTo("api");
  }

  @Test
  void aTestBlockSaysWhichClientsKeyARequestCarries() {
    CompiledPolicy policy =
        compile(
            """
            service api { source static 127.0.0.1:9001 }
            gateway edge {
              listen :8080
              api-keys "partners" { keys file "/etc/meshgate/partners.keys" }
              host "api.example" {
                route /orders/** { require api-key "partners" clients "acme" to api }
              }
            }
            test "keys" {
              expect GET api.example/orders/1 via edge => 401
              expect GET api.example/orders/1 via edge with api-key client "acme" => api with request-header "x-meshgate-client" = "acme"
              expect GET api.example/orders/1 via edge with api-key client "initech" => 403
            }
            """);
    List<TestResult> results = PolicySimulator.run(policy);
    assertThat(results).hasSize(1);
    assertThat(results.getFirst().passed()).as(TestReport.render(results.getFirst())).isTrue();
  }

  @Test
  void theCompiledOutputNamesTheKeysFileOnly() {
    assertThat(COMPILED.groups().getFirst().secrets())
        .extracting(s -> s.name())
        .containsExactly("api-keys:partners");
  }
}
