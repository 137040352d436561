package dev.meshgate.compiler.simulate;

import static dev.meshgate.compiler.simulate.PolicySimulatorTest.compile;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.outcome;
import static dev.meshgate.compiler.simulate.PolicySimulatorTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redirects that change parts of the URL and path/host rewrites, as the simulator predicts them;
 * the same cases run through a real Envoy in RedirectRewriteIT, whose Locations these mirror.
 */
class RedirectRewriteSimulationTest {
  private static final String POLICY =
      """
      service echo { source static 127.0.0.1:9101 }
      gateway edge {
        listen :8080
        host "shop.example" {
          route /secure/** { redirect 301 https }
          route /** { to echo }
        }
        host "*" {
          route /wild-secure/** { redirect 308 https }
          route /moved/** { redirect https host "b.example" port 8443 path "/new" }
          route /old/** { redirect 301 prefix "/new/" }
          route /gone/** { redirect 303 prefix "/" strip-query }
          route /page { redirect 307 path "/other" }
          route /elsewhere { redirect host "b.example" }
          route /port { redirect port 9090 }
          route /strip/** { to echo rewrite prefix "/" }
          route /v2s/** { to echo rewrite prefix "/v2/" }
          route /v2n/** { to echo rewrite prefix "/v2" }
          route /one { to echo rewrite path "/index.html" }
          route /hostlit/** { to echo rewrite host "internal.example" }
          route /** { to echo }
        }
      }
      """;

  private static final CompiledPolicy P = compile(POLICY);
  private static final List<TestRequest.Param> Q = List.of(new TestRequest.Param("q", "1"));

  private static String location(String host, String path, List<TestRequest.Param> query) {
    SimulatedOutcome o = outcome(P, request("GET", host, path, List.of(), query));
    assertThat(o).as("%s%s", host, path).isInstanceOf(SimulatedOutcome.Redirected.class);
    SimulatedOutcome.Redirected r = (SimulatedOutcome.Redirected) o;
    return r.status() + " " + r.location();
  }

  private static SimulatedOutcome.Forwarded forwarded(String path, List<TestRequest.Param> q) {
    SimulatedOutcome o = outcome(P, request("GET", "127.0.0.1:8081", path, List.of(), q));
    assertThat(o).as(path).isInstanceOf(SimulatedOutcome.Forwarded.class);
    return (SimulatedOutcome.Forwarded) o;
  }

  @Test
  void redirectsChangeOnlyTheWrittenParts() {
    String client = "127.0.0.1:8081";
    assertThat(location("shop.example:8081", "/secure/a", Q))
        .isEqualTo("301 https://shop.example/secure/a?q=1");
    assertThat(location(client, "/wild-secure/a", Q))
        .isEqualTo("308 https://127.0.0.1:443/wild-secure/a?q=1");
    assertThat(location(client, "/moved/x/y", Q)).isEqualTo("302 https://b.example:8443/new?q=1");
    assertThat(location(client, "/old/a/b", Q)).isEqualTo("301 http://127.0.0.1:8081/new/a/b?q=1");
    assertThat(location(client, "/old", List.of())).isEqualTo("301 http://127.0.0.1:8081/new");
    assertThat(location(client, "/gone/a", Q)).isEqualTo("303 http://127.0.0.1:8081/a");
    assertThat(location(client, "/gone", Q)).isEqualTo("303 http://127.0.0.1:8081/");
    assertThat(location(client, "/page", Q)).isEqualTo("307 http://127.0.0.1:8081/other?q=1");
    assertThat(location(client, "/elsewhere", Q))
        .isEqualTo("302 http://b.example:8080/elsewhere?q=1");
    assertThat(location(client, "/port", Q)).isEqualTo("302 http://127.0.0.1:9090/port?q=1");
  }

  @Test
  void rewritesShapeThePathAndHostTheBackendGets() {
    assertThat(forwarded("/strip/a/b", Q).upstreamPath()).isEqualTo("/a/b?q=1");
    assertThat(forwarded("/strip", List.of()).upstreamPath()).isEqualTo("/");
    assertThat(forwarded("/strip/", List.of()).upstreamPath()).isEqualTo("/");
    assertThat(forwarded("/v2s/a", List.of()).upstreamPath()).isEqualTo("/v2/a");
    assertThat(forwarded("/v2s", List.of()).upstreamPath()).isEqualTo("/v2");
    assertThat(forwarded("/v2n/a", List.of()).upstreamPath()).isEqualTo("/v2/a");
    assertThat(forwarded("/v2nx/a", List.of()).upstreamPath()).isEqualTo("/v2nx/a");
    assertThat(forwarded("/one", Q).upstreamPath()).isEqualTo("/index.html?q=1");
    assertThat(forwarded("/hostlit/a", List.of()).upstreamHeaders())
        .containsEntry("host", "internal.example");
    assertThat(forwarded("/plain", List.of()).upstreamHeaders())
        .containsEntry("host", "127.0.0.1:8081");
  }

  @Test
  void aHostRewrittenToTheEndpointIsLeftOutNotGuessed() {
    CompiledPolicy p =
        PolicySimulatorTest.gateway(
            """
              host "*" { route /e/** { to catalog  rewrite host to-endpoint } }
            """);
    SimulatedOutcome o = outcome(p, request("GET", "shop.example", "/e/a", List.of(), List.of()));
    assertThat(((SimulatedOutcome.Forwarded) o).upstreamHeaders()).doesNotContainKey("host");
  }

  @Test
  void testBlocksExpectLocationsAndRewrittenPathsAndPrintHeadersAndQueryOfTheRequest() {
    CompiledPolicy p =
        compile(
            POLICY
                + """
                test "redirects and rewrites" {
                  expect GET shop.example/secure/a via edge with query "q" = "1"
                    => redirect 301 "https://shop.example/secure/a?q=1"
                  expect GET api.example/old/a via edge => redirect 301 "/new/a"
                  expect GET api.example/v2n/a via edge with query "q" = "1" => echo
                    with request-header ":path" = "/v2/a?q=1"
                  expect GET api.example/hostlit/a via edge => echo
                    with request-header "host" = "internal.example"
                }
                test "wrong" {
                  expect GET api.example/strip/a via edge with header "x-a" = "1" with query "q" = "2"
                    => echo with request-header ":path" = "/strip/a"
                }
                """);
    List<TestResult> results = PolicySimulator.run(p);
    assertThat(results)
        .as(TestReport.render(results))
        .extracting(TestResult::passed)
        .containsExactly(true, false);
    assertThat(TestReport.render(results))
        .contains(
            "GET api.example/strip/a?q=2 via edge with header \"x-a\" = \"1\"\n",
            "wrong:    expected request-header \":path\" = \"/strip/a\", got \"/a?q=2\"");
  }

  @Test
  void theRequestLinePrintsEveryHeaderAndQueryParameter() {
    TestRequest.ViaGateway r =
        request(
            "POST",
            "api.example",
            "/x",
            List.of(new TestRequest.Param("x-a", "1"), new TestRequest.Param("x-b", "2")),
            List.of(new TestRequest.Param("q", "1"), new TestRequest.Param("r", "2")));
    assertThat(r.toString())
        .isEqualTo(
            "POST api.example/x?q=1&r=2 via edge with header \"x-a\" = \"1\" with header \"x-b\""
                + " = \"2\"");
  }
}
