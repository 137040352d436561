package dev.meshgate.compiler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Source;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jwt (issue 12): every change to a provider, a requirement, a claim rule or the JWKS fetch is
 * security-relevant in `plan`, while a timeout next to them is not.
 */
class JwtPlanTest {
  private static final String BASE =
      """
      service api { source static 127.0.0.1:9001 }
      gateway edge {
        listen 127.0.0.1:10000
        jwt-provider "idp" {
          issuer "https://idp.example/"
          jwks "https://idp.example/jwks.json" cache 5m
        }
        host "api.example" {
          require jwt "idp"
          route /admin/** {
            allow jwt claim "role" = "admin"
            to api
            timeout 2s
          }
          route /** { to api }
        }
      }
      """;

  private static CompiledPolicy compile(String text) {
    Compilation compilation = Compiler.compile(List.of(new Source("shop.mesh", text)));
    assertThat(compilation.hasErrors()).as("%s", compilation.diagnostics()).isFalse();
    return compilation.policy().orElseThrow();
  }

  @ParameterizedTest(name = "{0} → security-relevant: {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "issuer     | issuer \"https://idp.example/\" | issuer \"https://other.example/\" | true",
        "jwks host  | https://idp.example/jwks.json | https://keys.example/jwks.json | true",
        "jwks cache | cache 5m | cache 1m | true",
        "optional   | require jwt \"idp\" | require jwt \"idp\" optional | true",
        "claim rule | \"role\" = \"admin\" | \"role\" = \"root\" | true",
        "timeout    | timeout 2s | timeout 3s | false",
      })
  void authChangesAreSecurityRelevant(String what, String from, String to, boolean relevant) {
    String after = BASE.replace(from, to);
    assertThat(after).as("the edit applies").isNotEqualTo(BASE);

    List<ResourceChange> changes =
        PolicyPlan.diff(compile(BASE), compile(after)).changedGroups().stream()
            .flatMap(g -> g.resources().stream())
            .toList();

    assertThat(changes).as(what).isNotEmpty();
    assertThat(changes).as(what).allMatch(c -> SecurityRelevance.of(c) == relevant);
  }
}
