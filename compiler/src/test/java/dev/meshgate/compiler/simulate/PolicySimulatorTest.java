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

/** The simulator against policies compiled for real, one Envoy behaviour per test. */
class PolicySimulatorTest {

  static final String SERVICES =
      """
      service catalog {
        source static 127.0.0.1:9101 labels version=v1, 127.0.0.1:9102 labels version=v2
        subset v1 where version = "v1"
        subset v2 where version = "v2"
      }
      service orders { source static 127.0.0.1:9201 }
      """;

  static CompiledPolicy compile(String policy) {
    Compilation c = Compiler.compile(List.of(new Source("t.mesh", policy)));
    assertThat(c.policy())
        .as(
            "compiles:%n%s",
            c.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining("\n")))
        .isPresent();
    return c.policy().get();
  }

  static CompiledPolicy gateway(String hosts) {
    return compile(SERVICES + "gateway edge {\n  listen :8080\n" + hosts + "\n}\n");
  }

  static TestRequest.ViaGateway get(String host, String path) {
    return request("GET", host, path, List.of(), List.of());
  }

  static TestRequest.ViaGateway request(
      String method,
      String host,
      String path,
      List<TestRequest.Param> headers,
      List<TestRequest.Param> query) {
    return new TestRequest.ViaGateway("edge", method, host, path, headers, query, false);
  }

  static SimulatedOutcome outcome(CompiledPolicy policy, TestRequest request) {
    return PolicySimulator.simulate(policy, request).outcome();
  }

  static String cluster(CompiledPolicy policy, TestRequest request) {
    SimulatedOutcome o = outcome(policy, request);
    return o instanceof SimulatedOutcome.Forwarded f ? f.toString() : o.toString();
  }

  // ---------------------------------------------------------------- virtual hosts

  @Test
  void exactHostBeatsSuffixWildcardWhichBeatsTheCatchAll() {
    CompiledPolicy p =
        gateway(
            """
              host "*" { route /** { to orders } }
              host "*.example" { route /** { to catalog.v2 } }
              host "*.shop.example" { route /** { to catalog } }
              host "api.shop.example" { route /** { to catalog.v1 } }
            """);
    assertThat(cluster(p, get("api.shop.example", "/"))).isEqualTo("catalog.v1");
    assertThat(cluster(p, get("API.Shop.Example:8080", "/")))
        .as("case and port ignored")
        .isEqualTo("catalog.v1");
    assertThat(cluster(p, get("www.shop.example", "/")))
        .as("longest suffix wins")
        .isEqualTo("catalog");
    assertThat(cluster(p, get("shop.example", "/")))
        .as("*.x needs at least one character")
        .isEqualTo("catalog.v2");
    assertThat(cluster(p, get("other.org", "/"))).isEqualTo("orders");
  }

  @Test
  void noMatchingHostIsA404() {
    CompiledPolicy p = gateway("host \"api.example\" { route /** { to orders } }");
    SimulatedOutcome o = outcome(p, get("www.example", "/"));
    assertThat(o).isInstanceOf(SimulatedOutcome.NotFound.class);
    assertThat(((SimulatedOutcome.NotFound) o).reason()).contains("no virtual host");
  }

  @Test
  void prefixWildcardsRankBetweenSuffixWildcardsAndTheCatchAll() {
    List<List<String>> hosts =
        List.of(List.of("*"), List.of("api.*"), List.of("*.example"), List.of("api.example"));
    assertThat(VirtualHosts.select(hosts, "api.example", true)).hasValue(3);
    assertThat(VirtualHosts.select(hosts, "www.example", true)).hasValue(2);
    assertThat(VirtualHosts.select(hosts, "api.other", true)).hasValue(1);
    assertThat(VirtualHosts.select(hosts, "www.other", true)).hasValue(0);
    assertThat(VirtualHosts.select(List.of(List.of("api.example")), "api.example:8080", false))
        .isEmpty();
    assertThat(VirtualHosts.select(List.of(List.of("[::1]")), "[::1]:8080", true)).hasValue(0);
  }

  // ---------------------------------------------------------------- paths

  @Test
  void prefixRoutesStopAtSegmentBoundaries() {
    CompiledPolicy p =
        gateway(
            """
              host "*" {
                route /api/** { to catalog.v1 }
                route /** { to orders }
              }
            """);
    assertThat(cluster(p, get("a", "/api"))).isEqualTo("catalog.v1");
    assertThat(cluster(p, get("a", "/api/"))).isEqualTo("catalog.v1");
    assertThat(cluster(p, get("a", "/api/x/y"))).isEqualTo("catalog.v1");
    assertThat(cluster(p, get("a", "/apix"))).isEqualTo("orders");
    assertThat(cluster(p, get("a", "/API/x"))).as("paths are case-sensitive").isEqualTo("orders");
  }

  @Test
  void pathsAreNormalizedBeforeMatching() {
    CompiledPolicy p =
        gateway(
            """
              host "*" {
                route /admin/** { respond 403 }
                route /** { to orders }
              }
            """);
    assertThat(outcome(p, get("a", "/public/../admin/x")))
        .isEqualTo(new SimulatedOutcome.DirectResponse(403, "", java.util.Map.of()));
    assertThat(outcome(p, get("a", "//admin//x")))
        .isInstanceOf(SimulatedOutcome.DirectResponse.class);
  }

  @Test
  void exactPathsIgnoreTheQueryAndRegexesMatchTheWholePath() {
    CompiledPolicy p =
        gateway(
            """
              host "*" {
                route /healthz { respond 200 "ok" }
                route ~ "/v[0-9]+/items" { to catalog.v2 }
                route /** { to orders }
              }
            """);
    assertThat(
            outcome(
                p,
                request(
                    "GET", "a", "/healthz", List.of(), List.of(new TestRequest.Param("x", "1")))))
        .isInstanceOf(SimulatedOutcome.DirectResponse.class);
    assertThat(cluster(p, get("a", "/v12/items"))).isEqualTo("catalog.v2");
    assertThat(cluster(p, get("a", "/v12/items/1")))
        .as("a full match, no implicit .*")
        .isEqualTo("orders");
    assertThat(cluster(p, get("a", "/x/v1/items"))).isEqualTo("orders");
  }

  // ---------------------------------------------------------------- methods, headers, query

  @Test
  void methodsHeadersAndQueriesMustAllMatch() {
    CompiledPolicy p =
        gateway(
            """
              host "*" {
                route GET HEAD /a/** when header "x-canary" = "true" { to catalog.v2 }
                route /search when query "q" ~ "^[a-z]+$" and header "x-beta" = "1" { to catalog.v1 }
                route /** { to orders }
              }
            """);
    List<TestRequest.Param> canary = List.of(new TestRequest.Param("x-canary", "true"));
    assertThat(cluster(p, request("GET", "a", "/a/1", canary, List.of()))).isEqualTo("catalog.v2");
    assertThat(cluster(p, request("HEAD", "a", "/a/1", canary, List.of()))).isEqualTo("catalog.v2");
    assertThat(cluster(p, request("POST", "a", "/a/1", canary, List.of()))).isEqualTo("orders");
    assertThat(
            cluster(
                p,
                request(
                    "GET",
                    "a",
                    "/a/1",
                    List.of(new TestRequest.Param("x-canary", "TRUE")),
                    List.of())))
        .as("header values are case-sensitive")
        .isEqualTo("orders");
    List<TestRequest.Param> beta = List.of(new TestRequest.Param("x-beta", "1"));
    assertThat(
            cluster(
                p,
                request("GET", "a", "/search", beta, List.of(new TestRequest.Param("q", "shoes")))))
        .isEqualTo("catalog.v1");
    assertThat(
            cluster(
                p,
                request("GET", "a", "/search", beta, List.of(new TestRequest.Param("q", "Shoes")))))
        .isEqualTo("orders");
    assertThat(
            cluster(
                p,
                request(
                    "GET",
                    "a",
                    "/search",
                    List.of(),
                    List.of(new TestRequest.Param("q", "shoes")))))
        .isEqualTo("orders");
    assertThat(cluster(p, request("GET", "a", "/search", beta, List.of()))).isEqualTo("orders");
  }

  // ---------------------------------------------------------------- actions

  @Test
  void weightedClustersBecomeShares() {
    CompiledPolicy p = gateway("host \"*\" { route /** { to catalog.v1 90%, catalog.v2 10% } }");
    SimulatedOutcome o = outcome(p, get("a", "/"));
    assertThat(o).isInstanceOf(SimulatedOutcome.Forwarded.class);
    assertThat(((SimulatedOutcome.Forwarded) o).shares())
        .containsExactly(
            new ExpectedOutcome.Share("catalog.v1", 90),
            new ExpectedOutcome.Share("catalog.v2", 10));
  }

  @Test
  void rewritesAndHeaderChangesShapeWhatTheUpstreamGets() {
    CompiledPolicy p =
        gateway(
            """
              host "*" {
                route /catalog/** {
                  to catalog
                  rewrite prefix "/catalog/" => "/"
                  set request-header "x-via" = "edge"
                  remove request-header "x-debug"
                  set response-header "x-served-by" = "meshgate"
                }
              }
            """);
    var o =
        (SimulatedOutcome.Forwarded)
            outcome(
                p,
                request(
                    "GET",
                    "a",
                    "/catalog/items",
                    List.of(
                        new TestRequest.Param("x-debug", "1"),
                        new TestRequest.Param("x-via", "client")),
                    List.of(new TestRequest.Param("q", "1"))));
    assertThat(o.upstreamPath()).isEqualTo("/items?q=1");
    assertThat(o.upstreamHeaders()).containsEntry("x-via", "edge").doesNotContainKey("x-debug");
    assertThat(o.responseHeaders()).containsEntry("x-served-by", "meshgate");
    assertThat(((SimulatedOutcome.Forwarded) outcome(p, get("a", "/catalog"))).upstreamPath())
        .isEqualTo("/catalog");
  }

  @Test
  void redirectsKeepTheQueryUnlessTheyNameOne() {
    CompiledPolicy p =
        gateway(
            """
              host "*" {
                route /old/** { redirect 301 "/new/" }
                route /moved { redirect 308 "https://www.example:8443/there?x=1" }
              }
            """);
    List<TestRequest.Param> q = List.of(new TestRequest.Param("a", "b"));
    assertThat(outcome(p, request("GET", "shop.example", "/old/x", List.of(), q)))
        .isEqualTo(
            new SimulatedOutcome.Redirected(
                301, "http://shop.example/new/?a=b", java.util.Map.of()));
    assertThat(outcome(p, request("GET", "shop.example", "/moved", List.of(), q)))
        .isEqualTo(
            new SimulatedOutcome.Redirected(
                308, "https://www.example:8443/there?x=1", java.util.Map.of()));
    assertThat(outcome(p, get("shop.example", "/nothing")))
        .isInstanceOf(SimulatedOutcome.NotFound.class);
  }

  // ---------------------------------------------------------------- authorization

  private static final String MESH =
      """
      mesh { trust-domain "shop.example"  mtls MODE  authz default deny }
      service catalog {
        source static 127.0.0.1:15101
        sidecar { inbound 127.0.0.1:15101  app 127.0.0.1:9101 }
      }
      service orders {
        source static 127.0.0.1:15201
        sidecar { inbound 127.0.0.1:15201  app 127.0.0.1:9201  outbound 127.0.0.1:15001 }
      }
      service reviews {
        source static 127.0.0.1:15301
        sidecar { inbound 127.0.0.1:15301  app 127.0.0.1:9301  outbound 127.0.0.1:15002 }
      }
      service legacy { source static 127.0.0.1:9401 }
      """;

  static CompiledPolicy mesh(String mode, String rules) {
    return compile(MESH.replace("MODE", mode) + rules);
  }

  static Simulation call(CompiledPolicy p, String from, String to, String method, String path) {
    return PolicySimulator.simulate(
        p, new TestRequest.Call(from, to, method, path, List.of(), List.of(), false));
  }

  @Test
  void denyRulesAreCheckedBeforeAllowRules() {
    CompiledPolicy p =
        mesh(
            "strict",
            """
            allow orders -> catalog
            allow reviews -> catalog GET /items/**
            deny orders -> catalog DELETE
            """);
    assertThat(call(p, "orders", "catalog", "GET", "/anything").outcome())
        .isEqualTo(new SimulatedOutcome.Allowed());
    Simulation denied = call(p, "orders", "catalog", "DELETE", "/items/1");
    assertThat(denied.outcome()).isEqualTo(new SimulatedOutcome.Denied());
    assertThat(denied.decidedBy().orElseThrow().toString())
        .isEqualTo("deny rule \"orders -> catalog DELETE\" at t.mesh:17:1");
    assertThat(call(p, "reviews", "catalog", "GET", "/items/1").outcome())
        .isEqualTo(new SimulatedOutcome.Allowed());
    assertThat(call(p, "reviews", "catalog", "GET", "/items").outcome())
        .isEqualTo(new SimulatedOutcome.Allowed());
    assertThat(call(p, "reviews", "catalog", "GET", "/itemsx").outcome())
        .isEqualTo(new SimulatedOutcome.Denied());
    assertThat(call(p, "reviews", "catalog", "POST", "/items/1").outcome())
        .isEqualTo(new SimulatedOutcome.Denied());
    assertThat(call(p, "reviews", "catalog", "GET", "/items/../admin").outcome())
        .as("RBAC sees the normalized path")
        .isEqualTo(new SimulatedOutcome.Denied());
    Simulation noAllow = call(p, "catalog", "orders", "GET", "/");
    assertThat(noAllow.outcome()).isEqualTo(new SimulatedOutcome.Denied());
    assertThat(noAllow.decidedBy().orElseThrow().description()).contains("no allow rule");
  }

  @Test
  void dryRunDenyRulesDoNotDenyButAreReported() {
    CompiledPolicy p =
        mesh(
            "strict",
            """
            allow orders -> catalog
            deny dry-run orders -> catalog POST
            """);
    Simulation s = call(p, "orders", "catalog", "POST", "/x");
    assertThat(s.outcome()).isEqualTo(new SimulatedOutcome.Allowed());
    assertThat(s.notes())
        .singleElement()
        .asString()
        .contains("dry-run rule \"orders -> catalog POST\"")
        .contains("would have denied");
    assertThat(call(p, "orders", "catalog", "GET", "/x").notes()).isEmpty();
  }

  @Test
  void callersWithoutASidecarAreRefusedUnderStrictAndAnonymousUnderPermissive() {
    CompiledPolicy strict = mesh("strict", "allow * -> catalog\n");
    assertThat(call(strict, "legacy", "catalog", "GET", "/").outcome())
        .isInstanceOf(SimulatedOutcome.Refused.class);
    assertThat(call(strict, "orders", "catalog", "GET", "/").outcome())
        .isEqualTo(new SimulatedOutcome.Allowed());
    CompiledPolicy permissive = mesh("permissive", "allow * -> catalog\nallow orders -> reviews\n");
    assertThat(call(permissive, "legacy", "catalog", "GET", "/").outcome())
        .isEqualTo(new SimulatedOutcome.Allowed());
    assertThat(call(permissive, "legacy", "reviews", "GET", "/").outcome())
        .as("a named rule needs the caller's certificate")
        .isEqualTo(new SimulatedOutcome.Denied());
  }

  @Test
  void authzDefaultAllowOnlyDeniesWhatADenyRuleMatches() {
    CompiledPolicy p =
        compile(
            MESH.replace("MODE", "strict").replace("authz default deny", "authz default allow")
                + "deny reviews -> catalog\n");
    assertThat(call(p, "orders", "catalog", "GET", "/").outcome())
        .isEqualTo(new SimulatedOutcome.Allowed());
    assertThat(call(p, "reviews", "catalog", "GET", "/").outcome())
        .isEqualTo(new SimulatedOutcome.Denied());
  }

  // ---------------------------------------------------------------- tests end to end

  @Test
  void failuresSayWhatWasExpectedWhatHappenedAndWhereWithACaret() {
    CompiledPolicy p =
        compile(
            SERVICES
                + """
                gateway edge {
                  listen :8080
                  host "api.example" {
                    route GET /catalog/** { to catalog.v1 80%, catalog.v2 20%  set request-header "x-via" = "edge" }
                  }
                }
                test "split" {
                  expect GET api.example/catalog/items via edge => catalog.v1 90%, catalog.v2 10%
                  expect GET api.example/catalog/items via edge => catalog.v1 80%, catalog.v2 20%
                    with request-header "x-via" = "gate"
                }
                test "fine" {
                  expect POST api.example/catalog/items via edge => 404
                }
                """);
    List<TestResult> results = PolicySimulator.run(p);
    assertThat(results).extracting(TestResult::passed).containsExactly(false, true);
    assertThat(TestReport.render(results))
        .isEqualTo(
            """
            ✗ split
              t.mesh:14:3: GET api.example/catalog/items via edge
                expected: catalog.v1 90%, catalog.v2 10%
                got:      catalog.v1 80%, catalog.v2 20%
                decided by route api.example/1 at t.mesh:10:5
               14 |   expect GET api.example/catalog/items via edge => catalog.v1 90%, catalog.v2 10%
                  |                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
              t.mesh:15:3: GET api.example/catalog/items via edge
                expected: catalog.v1 80%, catalog.v2 20% with request-header "x-via" = "gate"
                got:      catalog.v1 80%, catalog.v2 20%
                wrong:    expected request-header "x-via" = "gate", got "edge"
                decided by route api.example/1 at t.mesh:10:5
               16 |     with request-header "x-via" = "gate"
                  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
            ✓ fine

            1 passed, 1 failed
            """);
  }

  @Test
  void testBlocksAreNotPartOfAnyProxysConfiguration() {
    String policy =
        SERVICES + "gateway edge {\n listen :8080\n host \"*\" { route /** { to orders } }\n}\n";
    CompiledPolicy without = compile(policy);
    CompiledPolicy with =
        compile(policy + "test \"t\" { expect GET a.example/ via edge => orders }\n");
    assertThat(with.groups()).isEqualTo(without.groups());
    assertThat(with.ir()).isEqualTo(without.ir());
    assertThat(with.tests()).singleElement().extracting(PolicyTest::name).isEqualTo("t");
    assertThat(PolicySimulator.run(with)).allMatch(TestResult::passed);
  }
}
