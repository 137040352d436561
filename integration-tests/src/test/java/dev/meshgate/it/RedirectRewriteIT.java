package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redirects that change parts of the URL (Location exact at the client) and path/host rewrites
 * (what the backend sees), through a real Envoy on a listener that is not on port 80, so a Location
 * that lost or invented a port shows.
 */
@ExtendWith(PrintLogsOnFailure.class)
class RedirectRewriteIT {
  private static final String POLICY =
      """
      service echo { source static ${echo} }
      service named { source static ${echo} hostname "echo-1.internal", ${echo2} hostname "echo-2.internal" }

      gateway edge {
        listen 127.0.0.1:${port}
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
          route /to-endpoint/** { to named rewrite host to-endpoint }
          route /** { to echo }
        }
      }
      """;

  @TempDir static Path work;
  static Backend echo;
  static Backend echo2;
  static GatewayStack stack;
  static int port;

  @BeforeAll
  static void start() {
    echo = Backend.start("echo");
    echo2 = Backend.start("echo2");
    port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(
                POLICY, Map.of("echo", echo.address(), "echo2", echo2.address(), "port", port)));
  }

  @BeforeEach
  void resetBackend() {
    echo.reset();
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, echo, echo2);
  }

  // ------------------------------------------------------------------ redirects

  @Test
  void httpsOnAnExactHostLeavesOutPort443AndKeepsPathAndQuery() {
    redirect("/secure/a?q=1", "shop.example:" + port, 301, "https://shop.example/secure/a?q=1");
  }

  /**
   * On a wildcard host there is no name to put in host_redirect, and Envoy drops the client's port
   * only when told a new one, which it then writes: ":443" stays (the same URL; Gateway API says
   * SHOULD NOT, not MUST NOT). The client's http port must not leak into the https URL.
   */
  @Test
  void httpsOnAWildcardHostNamesPort443InsteadOfTheClientsPort() {
    redirect("/wild-secure/a?q=1", null, 308, "https://127.0.0.1:443/wild-secure/a?q=1");
  }

  @Test
  void schemeHostPortAndWholePathTogether() {
    redirect("/moved/x/y?q=1", null, 302, "https://b.example:8443/new?q=1");
  }

  @Test
  void matchedPrefixReplacedKeepsTheRestThePortAndTheQuery() {
    redirect("/old/a/b?q=1", null, 301, "http://127.0.0.1:" + port + "/new/a/b?q=1");
    redirect("/old", null, 301, "http://127.0.0.1:" + port + "/new");
  }

  @Test
  void prefixToSlashWithStripQuery() {
    redirect("/gone/a?q=1", null, 303, "http://127.0.0.1:" + port + "/a");
    redirect("/gone", null, 303, "http://127.0.0.1:" + port + "/");
    redirect("/gone/", null, 303, "http://127.0.0.1:" + port + "/");
  }

  @Test
  void onlyThePathChangesSoThePortTheClientUsedStays() {
    redirect("/page?q=1", null, 307, "http://127.0.0.1:" + port + "/other?q=1");
  }

  @Test
  void aNewHostKeepsTheListenerPort() {
    redirect("/elsewhere?q=1", null, 302, "http://b.example:" + port + "/elsewhere?q=1");
  }

  @Test
  void aNewPortOnly() {
    redirect("/port?q=1", null, 302, "http://127.0.0.1:9090/port?q=1");
  }

  // ------------------------------------------------------------------ rewrites

  @Test
  void prefixRewrittenToSlashWithAndWithoutTrailingSlash() {
    JsonNode seen = ok(Http.get(stack.url("/strip/a/b?x=1")));
    assertThat(seen.path("path").asText()).isEqualTo("/a/b");
    assertThat(seen.path("query").asText()).isEqualTo("x=1");
    assertThat(ok(Http.get(stack.url("/strip"))).path("path").asText()).isEqualTo("/");
    assertThat(ok(Http.get(stack.url("/strip/"))).path("path").asText()).isEqualTo("/");
  }

  @Test
  void prefixRewrittenWithAndWithoutTrailingSlashInTheReplacement() {
    assertThat(ok(Http.get(stack.url("/v2s/a"))).path("path").asText()).isEqualTo("/v2/a");
    assertThat(ok(Http.get(stack.url("/v2s"))).path("path").asText()).isEqualTo("/v2");
    assertThat(ok(Http.get(stack.url("/v2n/a"))).path("path").asText()).isEqualTo("/v2/a");
    assertThat(ok(Http.get(stack.url("/v2n"))).path("path").asText()).isEqualTo("/v2");
    // A path that only starts with the same letters is another route's.
    assertThat(ok(Http.get(stack.url("/v2nx/a"))).path("path").asText()).isEqualTo("/v2nx/a");
  }

  @Test
  void wholePathReplacedQueryKept() {
    JsonNode seen = ok(Http.get(stack.url("/one?x=1")));
    assertThat(seen.path("path").asText()).isEqualTo("/index.html");
    assertThat(seen.path("query").asText()).isEqualTo("x=1");
  }

  @Test
  void hostRewrittenToALiteral() {
    JsonNode seen = ok(Http.get(stack.url("/hostlit/a")));
    assertThat(seen.path("headers").path("host").asText()).isEqualTo("internal.example");
    assertThat(seen.path("path").asText()).isEqualTo("/hostlit/a");
    JsonNode plain = ok(Http.get(stack.url("/plain")));
    assertThat(plain.path("headers").path("host").asText()).isEqualTo("127.0.0.1:" + port);
  }

  @Test
  void hostRewrittenToTheHostnameOfTheEndpointThatGotTheRequest() {
    Map<String, Set<String>> hostsByBackend = new TreeMap<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = Http.get(stack.url("/to-endpoint/" + i));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode seen = Http.json(response);
      hostsByBackend
          .computeIfAbsent(seen.path("backend").asText(), b -> new TreeSet<>())
          .add(seen.path("headers").path("host").asText());
    }
    assertThat(hostsByBackend)
        .isEqualTo(
            Map.of(
                "echo", Set.of("echo-1.internal"),
                "echo2", Set.of("echo-2.internal")));
  }

  private static void redirect(String path, String host, int status, String location) {
    HttpResponse<String> response =
        host == null ? Http.get(stack.url(path)) : Http.get(stack.url(path), "host", host);
    assertThat(response.statusCode()).as("status of %s", path).isEqualTo(status);
    assertThat(response.headers().allValues("location"))
        .as("Location for %s", path)
        .containsExactly(location);
    assertThat(echo.requests()).as("backend requests after %s", path).isZero();
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(200);
    JsonNode json = Http.json(response);
    assertThat(json.path("backend").asText()).isEqualTo("echo");
    return json;
  }
}
