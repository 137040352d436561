package dev.meshgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ProxyGroup;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark policies compile without errors, and are as big as their names say. */
class PoliciesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "quickstart",
        "gateway-100",
        "gateway-1000",
        "mesh-200",
        "routes-1000",
        "hosts-10x100",
        "realistic-50"
      })
  void everyBenchmarkPolicyCompiles(String name) {
    var compilation = Policies.compileOrFail(List.of(Policies.named(name)));
    assertThat(compilation.policy()).isPresent();
  }

  @Test
  void generatedPoliciesHaveTheirSize() {
    var gateway =
        Policies.compileOrFail(List.of(Policies.named("gateway-1000"))).policy().orElseThrow();
    assertThat(gateway.group(ProxyGroup.gateway("edge")).orElseThrow().clusters()).hasSize(1000);
    var mesh = Policies.compileOrFail(List.of(Policies.named("mesh-200"))).policy().orElseThrow();
    assertThat(mesh.groups()).hasSize(201);
    assertThat(mesh.group(ProxyGroup.sidecar("s7")).orElseThrow().clusters()).isNotEmpty();
  }

  @Test
  void theRealisticPolicyIsTheHarnessMesh() {
    var source = Policies.named("realistic-30");
    assertThat(source.text()).isEqualTo(RealisticMesh.withDefaults(30).text(0));
    var policy = Policies.compileOrFail(List.of(source)).policy().orElseThrow();
    assertThat(policy.groups()).hasSize(31); // the gateway and one sidecar group per service
    // each service calls 10 others: a cluster per callee and one for its own app
    assertThat(policy.group(ProxyGroup.sidecar("s7")).orElseThrow().clusters()).hasSize(11);
  }

  @Test
  void routePoliciesHaveTheirSizeAndNoFinding() {
    var compilation = Policies.compileOrFail(List.of(Policies.named("hosts-3x50")));
    assertThat(compilation.diagnostics()).isEmpty();
    var edge = compilation.policy().orElseThrow().group(ProxyGroup.gateway("edge")).orElseThrow();
    assertThat(edge.clusters()).hasSize(10);
    assertThat(Policies.routes(3, 50).lines().filter(l -> l.contains("route "))).hasSize(150);
  }

  @Test
  void theHarnessPolicyCompilesInEveryRound() {
    var harness = new XdsLoadHarness(XdsLoadHarness.Options.defaults(), System.out);
    for (int round = 0; round < 2; round++) {
      var compilation =
          Policies.compileOrFail(
              List.of(new dev.meshgate.compiler.Source("load.mesh", harness.policy(round))));
      assertThat(compilation.diagnostics()).isEmpty();
    }
  }
}
