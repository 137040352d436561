package dev.meshgate.compiler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.Source;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** `plan` shows what a changed redirect or rewrite does to the route configuration Envoy gets. */
class RedirectRewritePlanTest {
  private static final String BASE =
      """
      service orders { source static 127.0.0.1:9201 }
      gateway edge {
        listen 127.0.0.1:10000
        host "api.example" {
          route /old/** { redirect 301 prefix "/new/" }
          route /orders/** { to orders rewrite prefix "/" }
        }
      }
      """;

  private static CompiledPolicy compile(String text) {
    Compilation compilation = Compiler.compile(List.of(new Source("shop.mesh", text)));
    assertThat(compilation.hasErrors()).as("%s", compilation.diagnostics()).isFalse();
    return compilation.policy().orElseThrow();
  }

  private static List<FieldChange> routeFields(String changed) {
    Plan plan = PolicyPlan.diff(compile(BASE), compile(changed));
    GroupPlan edge =
        plan.groups().stream()
            .filter(g -> g.group().equals(ProxyGroup.gateway("edge")))
            .findFirst()
            .orElseThrow();
    assertThat(edge.resources())
        .extracting(ResourceChange::kind)
        .containsExactly(ResourceKind.ROUTE);
    return edge.resources().getFirst().fields();
  }

  @Test
  void aRedirectThatChangesItsStatusAndSchemeShowsBothFields() {
    assertThat(routeFields(BASE.replace("redirect 301 prefix", "redirect 308 https prefix")))
        .containsExactlyInAnyOrder(
            new FieldChange(
                "virtual_hosts[api.example].routes[0].redirect.response_code",
                Change.ADDED,
                Optional.empty(),
                Optional.of("\"PERMANENT_REDIRECT\"")),
            new FieldChange(
                "virtual_hosts[api.example].routes[0].redirect.scheme_redirect",
                Change.ADDED,
                Optional.empty(),
                Optional.of("\"https\"")),
            new FieldChange(
                "virtual_hosts[api.example].routes[0].redirect.host_redirect",
                Change.ADDED,
                Optional.empty(),
                Optional.of("\"api.example\"")));
  }

  @Test
  void aPrefixRewriteReplacedByAWholePathRewriteShowsTheNewRegex() {
    assertThat(routeFields(BASE.replace("rewrite prefix \"/\"", "rewrite path \"/o\"")))
        .extracting(FieldChange::path)
        .containsExactlyInAnyOrder(
            "virtual_hosts[api.example].routes[1].route.regex_rewrite.pattern.regex",
            "virtual_hosts[api.example].routes[1].route.regex_rewrite.substitution");
  }
}
