package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a route does to a request: rewrite, redirect, respond, and header changes both ways. */
@ExtendWith(PrintLogsOnFailure.class)
class RewriteRedirectRespondHeadersIT {
  private static final String POLICY =
      """
      service echo { source static ${echo} }
      service other { source static ${other} }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /rw/** {
            to echo
            rewrite prefix "/rw/" => "/inner/"
          }
          route /old/** { redirect 301 "/new/" }
          route /moved { redirect 308 "https://elsewhere.example/landing" }
          route /healthz { respond 200 "ok" }
          route /gone { respond 410 }
          route /hdrs/** {
            to echo
            set request-header "x-via" = "edge"
            remove request-header "x-debug"
            set response-header "x-served-by" = "meshgate"
            remove response-header "x-internal"
          }
          route /plain/** { to echo }
          route /add/** {
            to echo
            add request-header "X-Tag" = "edge"
            set request-header "x-set" = "one"
            add request-header "x-set" = "two"
            add response-header "x-added" = "a"
          }
          route /hostrw/** {
            to echo
            rewrite host "catalog.internal"
          }
          route /canary/** { to echo 100%, other 0% }
          route /off/** { to echo 0%, other 0% }
        }
      }
      """;

  @TempDir static Path work;
  static Backend echo;
  static Backend other;
  static GatewayStack stack;
  static int port;

  @BeforeAll
  static void start() {
    echo = Backend.start("echo");
    other = Backend.start("other");
    port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(
                POLICY, Map.of("echo", echo.address(), "other", other.address(), "port", port)));
  }

  @BeforeEach
  void resetBackend() {
    echo.reset();
    other.reset();
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, echo, other);
  }

  @Test
  void rewritesThePrefixSeenByTheBackend() {
    JsonNode seen = ok(Http.get(stack.url("/rw/items/7?x=1")));
    assertThat(seen.path("path").asText()).isEqualTo("/inner/items/7");
    assertThat(seen.path("query").asText()).isEqualTo("x=1");
    // "/rw" matches the route but does not start with "/rw/": it passes unchanged.
    assertThat(ok(Http.get(stack.url("/rw"))).path("path").asText()).isEqualTo("/rw");
  }

  @Test
  void redirectsWithLocationToAPath() {
    HttpResponse<String> response = Http.get(stack.url("/old/page"));
    assertThat(response.statusCode()).isEqualTo(301);
    String location = response.headers().firstValue("location").orElseThrow();
    assertThat(URI.create(location).getPath()).as("Location %s", location).isEqualTo("/new/");
    assertThat(echo.requests()).isZero();
  }

  @Test
  void aPathRedirectKeepsThePortTheClientUsed() {
    HttpResponse<String> response = Http.get(stack.url("/old/page?x=1"));
    assertThat(response.statusCode()).isEqualTo(301);
    assertThat(response.headers().firstValue("location"))
        .contains("http://127.0.0.1:" + port + "/new/?x=1");
  }

  @Test
  void redirectsToAnotherSite() {
    HttpResponse<String> response = Http.get(stack.url("/moved"));
    assertThat(response.statusCode()).isEqualTo(308);
    assertThat(response.headers().firstValue("location"))
        .contains("https://elsewhere.example/landing");
  }

  @Test
  void respondsDirectly() {
    HttpResponse<String> response = Http.get(stack.url("/healthz"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    HttpResponse<String> gone = Http.get(stack.url("/gone"));
    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(gone.body()).isEmpty();
    assertThat(echo.requests()).isZero();
  }

  @Test
  void setsAndRemovesRequestHeaders() {
    JsonNode seen = ok(Http.get(stack.url("/hdrs/a"), "x-debug", "1", "x-keep", "yes"));
    assertThat(seen.path("headers").path("x-via").asText()).isEqualTo("edge");
    assertThat(seen.path("headers").has("x-debug")).as("x-debug removed: %s", seen).isFalse();
    assertThat(seen.path("headers").path("x-keep").asText()).isEqualTo("yes");
    // `set` means exactly this value, whatever the client sent.
    JsonNode overwritten = ok(Http.get(stack.url("/hdrs/a"), "x-via", "client"));
    assertThat(overwritten.path("headers").path("x-via").asText()).isEqualTo("edge");
    // Other routes leave headers alone.
    JsonNode plain = ok(Http.get(stack.url("/plain/a"), "x-debug", "1"));
    assertThat(plain.path("headers").path("x-debug").asText()).isEqualTo("1");
    assertThat(plain.path("headers").has("x-via")).isFalse();
  }

  @Test
  void setsAndRemovesResponseHeaders() {
    echo.responseHeader("x-internal", "secret");
    HttpResponse<String> response = Http.get(stack.url("/hdrs/a"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-served-by")).contains("meshgate");
    assertThat(response.headers().firstValue("x-internal")).isEmpty();
    HttpResponse<String> plain = Http.get(stack.url("/plain/a"));
    assertThat(plain.headers().firstValue("x-internal")).contains("secret");
    assertThat(plain.headers().firstValue("x-served-by")).isEmpty();
  }

  @Test
  void addAppendsBesideSetWhateverTheWrittenOrder() {
    HttpResponse<String> response = Http.get(stack.url("/add/a"), "x-tag", "client");
    JsonNode seen = ok(response);
    // add keeps the client's value; the name was written "X-Tag" and matches case-insensitively.
    assertThat(seen.path("headers").path("x-tag").asText()).isEqualTo("client,edge");
    // set, then add: both values arrive (Gateway API's order: remove, set, add).
    assertThat(seen.path("headers").path("x-set").asText()).isEqualTo("one,two");
    assertThat(response.headers().allValues("x-added")).containsExactly("a");
  }

  @Test
  void rewritesTheHostTheBackendSees() {
    JsonNode seen = ok(Http.get(stack.url("/hostrw/a")));
    assertThat(seen.path("headers").path("host").asText()).isEqualTo("catalog.internal");
    assertThat(seen.path("path").asText()).isEqualTo("/hostrw/a");
  }

  @Test
  void aZeroPercentCanaryGetsNothingAndAllZeroAnswers503() {
    for (int i = 0; i < 20; i++) {
      ok(Http.get(stack.url("/canary/" + i)));
    }
    assertThat(echo.requests()).isEqualTo(20);
    assertThat(other.requests()).isZero();
    assertThat(Http.get(stack.url("/off/a")).statusCode()).isEqualTo(503);
    assertThat(other.requests()).isZero();
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(200);
    JsonNode json = Http.json(response);
    assertThat(json.path("backend").asText()).isEqualTo("echo");
    return json;
  }
}
