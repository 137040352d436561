package dev.meshgate.compiler.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The simulator on a {@code tcp} service: network RBAC decides per connection, by peer identity
 * only.
 */
class TcpAuthorizationTest {

  private static final String MESH =
      """
      mesh { mtls MODE  authz default DEFAULT }
      service db {
        source static 127.0.0.1:15401
        protocol tcp
        sidecar { inbound :15401  app 127.0.0.1:5432 }
      }
      service orders {
        source static 127.0.0.1:15201
        sidecar { inbound :15201  app 127.0.0.1:9201 }
      }
      service reports {
        source static 127.0.0.1:15301
        sidecar { inbound :15301  app 127.0.0.1:9301 }
      }
      service legacy { source static 127.0.0.1:9401 }
      """;

  static CompiledPolicy compile(String mode, String authzDefault, String rules) {
    String policy = MESH.replace("MODE", mode).replace("DEFAULT", authzDefault) + rules;
    Compilation c = Compiler.compile(List.of(new Source("t.mesh", policy)));
    assertThat(c.policy())
        .as(
            "compiles:%n%s",
            c.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining("\n")))
        .isPresent();
    return c.policy().get();
  }

  static Simulation connect(CompiledPolicy p, String from) {
    return PolicySimulator.simulate(
        p, new TestRequest.Call(from, "db", "GET", "/", List.of(), List.of(), false));
  }

  @Test
  void defaultDenyLetsOnlyAllowedPeersConnect() {
    CompiledPolicy p =
        compile("strict", "deny", "allow orders -> db\ncall orders -> db { port 15432 }\n");

    assertThat(connect(p, "orders").outcome()).isInstanceOf(SimulatedOutcome.Allowed.class);
    assertThat(connect(p, "orders").decidedBy().orElseThrow().toString()).contains("orders -> db");
    assertThat(connect(p, "reports").outcome()).isInstanceOf(SimulatedOutcome.Denied.class);
  }

  @Test
  void denyBeatsAllowFromStar() {
    CompiledPolicy p = compile("strict", "deny", "allow * -> db\ndeny reports -> db\n");

    assertThat(connect(p, "orders").outcome()).isInstanceOf(SimulatedOutcome.Allowed.class);
    assertThat(connect(p, "reports").outcome()).isInstanceOf(SimulatedOutcome.Denied.class);
  }

  @Test
  void dryRunDenyOnlyLeavesANote() {
    CompiledPolicy p = compile("strict", "allow", "deny dry-run reports -> db\n");

    Simulation s = connect(p, "reports");
    assertThat(s.outcome()).isInstanceOf(SimulatedOutcome.Allowed.class);
    assertThat(s.notes())
        .anySatisfy(n -> assertThat(n).contains("reports -> db").contains("would have denied"));
  }

  @Test
  void plaintextPeerIsRefusedUnderStrictAndMatchesOnlyStarUnderPermissive() {
    assertThat(connect(compile("strict", "allow", ""), "legacy").outcome())
        .isInstanceOf(SimulatedOutcome.Refused.class);

    CompiledPolicy permissive = compile("permissive", "deny", "allow * -> db\n");
    assertThat(connect(permissive, "legacy").outcome())
        .isInstanceOf(SimulatedOutcome.Allowed.class);
  }

  @Test
  void policyTestsJudgeConnections() {
    String policy =
        MESH.replace("MODE", "strict").replace("DEFAULT", "deny")
            + """
            allow orders -> db
            call orders -> db { port 15432 }
            test "db" {
              expect orders -> db => allowed
              expect reports -> db => denied
            }
            """;
    Compilation c = Compiler.compile(List.of(new Source("t.mesh", policy)));
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    List<TestResult> results = PolicySimulator.run(c.policy().orElseThrow());
    assertThat(results).hasSize(1);
    assertThat(results).as(TestReport.render(results)).allMatch(TestResult::passed);
  }
}
