package dev.meshgate.compiler.simulate;

import static dev.meshgate.compiler.simulate.PolicySimulatorTest.compile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * jwt (issue 12): the simulator decides 401/403 from the route's requirement and claim rules, read
 * from the compiled jwt_authn and RBAC configs (no signatures: {@code with jwt} is a good token).
 */
class JwtSimulationTest {
  static final String POLICY =
      """
      service api { source static 127.0.0.1:9001 }
      gateway edge {
        listen :8080
        jwt-provider "idp" {
          issuer "https://idp.example/"
          jwks file "idp.jwks"
          claim "sub" to-header "x-user"
        }
        host "api.example" {
          require jwt "idp"
          deny jwt claim "suspended" = "true"
          route /public/** {
            require none
            to api
          }
          route /maybe/** {
            require jwt "idp" optional
            to api
          }
          route /admin/** {
            allow jwt claim "role" = "admin"
            to api
          }
          route /orders/** {
            allow jwt scope "orders:write" and claim "tier" = "gold"
            to api
          }
          route /** { to api }
        }
      }
      """;

  static final CompiledPolicy COMPILED = compile(POLICY);

  private static String outcome(String path, boolean jwt, Map<String, String> claims) {
    var request =
        new TestRequest.ViaGateway(
            "edge", "GET", "api.example", path, List.of(), List.of(), jwt, claims);
    return PolicySimulator.simulate(COMPILED, request).outcome().toString();
  }

  @Test
  void aRequiredTokenIsMissing401AndPresent200() {
    assertThat(outcome("/x", false, Map.of())).startsWith("401");
    assertThat(outcome("/x", true, Map.of())).isEqualTo("api");
    assertThat(outcome("/public/a", false, Map.of())).as("require none").isEqualTo("api");
    assertThat(outcome("/maybe/a", false, Map.of())).as("optional").isEqualTo("api");
    assertThat(outcome("/maybe/a", true, Map.of())).isEqualTo("api");
  }

  @Test
  void claimRulesAnswer403() {
    assertThat(outcome("/admin/a", true, Map.of("role", "admin"))).isEqualTo("api");
    assertThat(outcome("/admin/a", true, Map.of("role", "user"))).startsWith("403");
    assertThat(outcome("/admin/a", false, Map.of())).as("no token: 401 first").startsWith("401");
    assertThat(outcome("/x", true, Map.of("suspended", "true"))).as("host deny").startsWith("403");
    assertThat(outcome("/admin/a", true, Map.of("role", "admin", "suspended", "true")))
        .as("the host's deny still applies where the route writes only allow rules")
        .startsWith("403");
  }

  @Test
  void scopesAreSplitAtSpacesAndEveryConditionMustHold() {
    assertThat(outcome("/orders/1", true, Map.of("scope", "read orders:write", "tier", "gold")))
        .isEqualTo("api");
    assertThat(outcome("/orders/1", true, Map.of("scope", "orders:write"))).startsWith("403");
    assertThat(outcome("/orders/1", true, Map.of("scope", "orders:writer", "tier", "gold")))
        .startsWith("403");
  }

  @Test
  void anotherIssuerIs401AndAnotherAudience403AsEnvoyAnswers() {
    CompiledPolicy withAudience =
        compile(
            POLICY.replace("jwks file \"idp.jwks\"", "jwks file \"idp.jwks\" audiences \"api\""));
    java.util.function.Function<Map<String, String>, String> outcome =
        claims ->
            PolicySimulator.simulate(
                    withAudience,
                    new TestRequest.ViaGateway(
                        "edge", "GET", "api.example", "/x", List.of(), List.of(), true, claims))
                .outcome()
                .toString();

    assertThat(outcome.apply(Map.of("iss", "https://idp.example/", "aud", "api"))).isEqualTo("api");
    assertThat(outcome.apply(Map.of("iss", "https://evil.example/"))).startsWith("401");
    assertThat(outcome.apply(Map.of("aud", "other"))).startsWith("403");
    assertThat(outcome("/x", true, Map.of("aud", "other")))
        .as("a provider without audiences accepts any")
        .isEqualTo("api");
  }

  @Test
  void claimHeadersReachTheUpstream() {
    var request =
        new TestRequest.ViaGateway(
            "edge", "GET", "api.example", "/x", List.of(), List.of(), true, Map.of("sub", "ada"));
    SimulatedOutcome o = PolicySimulator.simulate(COMPILED, request).outcome();
    assertThat(o).isInstanceOf(SimulatedOutcome.Forwarded.class);
    assertThat(((SimulatedOutcome.Forwarded) o).upstreamHeaders()).containsEntry("x-user", "ada");
  }

  @Test
  void testBlocksSayWithJwtClaims() {
    CompiledPolicy p =
        compile(
            POLICY
                + """
                test "jwt" {
                  expect GET api.example/admin/x via edge => 401
                  expect GET api.example/admin/x via edge with jwt => 403
                  expect GET api.example/admin/x via edge with jwt claims { "role" = "admin" } => api
                  expect GET api.example/x via edge with jwt claims { "sub" = "ada" } => api with request-header "x-user" = "ada"
                  expect GET api.example/public/x via edge => api
                }
                test "fails" {
                  expect GET api.example/admin/x via edge with jwt claims { "role" = "user" } => api
                }
                """);
    List<TestResult> results = PolicySimulator.run(p);
    assertThat(results).hasSize(2);
    assertThat(results.get(0).passed()).as(TestReport.render(results.get(0))).isTrue();
    assertThat(results.get(1).passed()).isFalse();
  }
}
