package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authorization on the callee's sidecar: a caller outside the allow rules, or matched by a deny
 * rule, gets 403 and the deny shows in Envoy's RBAC stats of catalog's sidecar; a {@code dry-run}
 * deny lets the call through and counts a shadow deny instead.
 */
@ExtendWith(PrintLogsOnFailure.class)
class MeshAuthzIT {
  private static final String POLICY =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      """
          + MeshStack.service("orders")
          + MeshStack.service("reviews")
          + MeshStack.service("catalog")
          + """
          allow orders -> catalog
          allow reviews -> catalog /public/**
          deny reviews -> catalog DELETE
          deny dry-run orders -> catalog POST
          """;

  @TempDir static Path work;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    mesh = MeshStack.start(work, POLICY, List.of("orders", "reviews", "catalog"), List.of());
  }

  @BeforeEach
  void resetApps() {
    mesh.app("catalog").reset();
  }

  @AfterEach
  void envoysRejectedNothing() {
    mesh.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(mesh);
  }

  @Test
  void allowedCallsPass() {
    assertThat(status("orders", "GET", "/anything")).isEqualTo(200);
    assertThat(status("reviews", "GET", "/public/books")).isEqualTo(200);
    assertThat(status("reviews", "POST", "/public/books")).isEqualTo(200);
    assertThat(mesh.app("catalog").requests()).isEqualTo(3);
  }

  @Test
  void callerWithoutAMatchingAllowGets403AndEnvoyCountsTheDeny() {
    Map<String, Long> before = rbac();
    HttpResponse<String> response = mesh.call("reviews", "catalog", "GET", "/private/ledger");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(mesh.app("catalog").requests()).as("requests that reached catalog's app").isZero();
    Map<String, Long> denials = denials(before);
    assertThat(denials)
        .as("RBAC deny counters of catalog's sidecar that went up (all RBAC stats: %s)", rbac())
        .hasSize(1)
        .allSatisfy((name, by) -> assertThat(name).doesNotEndWith("shadow_denied"))
        .containsValue(1L);
  }

  @Test
  void denyRuleWinsOverAnAllowAndIsCountedSeparately() {
    Map<String, Long> before = rbac();
    assertThat(status("reviews", "DELETE", "/public/books"))
        .as("deny reviews -> catalog DELETE")
        .isEqualTo(403);
    Map<String, Long> byDeny = denials(before);
    before = rbac();
    assertThat(status("reviews", "GET", "/private/ledger")).as("no allow").isEqualTo(403);
    Map<String, Long> byMissingAllow = denials(before);
    assertThat(mesh.app("catalog").requests()).isZero();
    assertThat(byDeny).hasSize(1);
    assertThat(byMissingAllow).hasSize(1);
    assertThat(byDeny.keySet())
        .as("an explicit deny and a missing allow are told apart in the stats")
        .doesNotContainAnyElementsOf(byMissingAllow.keySet());
    assertThat(byDeny.keySet().iterator().next()).doesNotEndWith("shadow_denied");
    assertThat(byMissingAllow.keySet().iterator().next()).doesNotEndWith("shadow_denied");
  }

  @Test
  void dryRunDenyLetsTheCallThroughAndCountsAShadowDeny() {
    Map<String, Long> before = rbac();
    HttpResponse<String> response = mesh.call("orders", "catalog", "POST", "/orders/42");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Http.json(response).path("method").asText()).isEqualTo("POST");
    assertThat(mesh.app("catalog").requests()).isEqualTo(1);
    Map<String, Long> denials = denials(before);
    assertThat(denials)
        .as("RBAC deny counters that went up (all RBAC stats: %s)", rbac())
        .hasSize(1)
        .allSatisfy((name, by) -> assertThat(name).endsWith("shadow_denied"))
        .containsValue(1L);
  }

  /**
   * The RBAC stat names the docs tell users to watch are the ones this Envoy reports (catalog's
   * sidecar, zeros included): {@code <svc>} and the docs' example services read as catalog.
   */
  @Test
  void everyRbacStatNameInTheDocsIsOneEnvoyReports() throws java.io.IOException {
    java.util.Set<String> reported = rbac().keySet();
    java.util.regex.Pattern documented =
        java.util.regex.Pattern.compile(
            "http\\.([a-z<>]+)_inbound\\.rbac\\.([a-z<>]+)_((?:deny|allow)_[a-z_.]*)");
    java.util.List<String> names = new java.util.ArrayList<>();
    for (String page :
        java.util.List.of("docs/language.md", "docs/security.md", "examples/mesh/README.md")) {
      var m = documented.matcher(java.nio.file.Files.readString(ProjectRoot.get().resolve(page)));
      while (m.find()) {
        names.add("http.catalog_inbound.rbac.catalog_" + m.group(3));
      }
    }
    assertThat(names).as("RBAC stat names in the docs").hasSizeGreaterThanOrEqualTo(4);
    assertThat(reported).containsAll(names);
  }

  @Test
  void dryRunRuleDoesNotMatchOtherMethods() {
    Map<String, Long> before = rbac();
    assertThat(status("orders", "GET", "/orders/42")).isEqualTo(200);
    assertThat(denials(before)).as("deny counters that went up").isEmpty();
  }

  private static int status(String from, String method, String path) {
    return mesh.call(from, "catalog", method, path).statusCode();
  }

  /** Every RBAC counter of catalog's sidecar, zeros included. */
  private static Map<String, Long> rbac() {
    return mesh.envoy("catalog").stats("\\.rbac\\.", false);
  }

  /**
   * The {@code …denied} and {@code …shadow_denied} counters that changed since {@code before}, with
   * how much. ({@code …allowed} ones go up too: the deny filter "allows" what no deny rule
   * matches.)
   */
  static Map<String, Long> denials(Map<String, Long> before) {
    Map<String, Long> up = new TreeMap<>();
    rbac()
        .forEach((name, value) -> {
          long delta = value - before.getOrDefault(name, 0L);
          if (delta != 0 && name.endsWith("denied")) {
            up.put(name, delta);
          }
        });
    return up;
  }
}
