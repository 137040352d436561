package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of route match, proven by which backend answers a real request. */
@ExtendWith(PrintLogsOnFailure.class)
class RoutingIT {
  private static final String POLICY =
      """
      service alpha { source static ${alpha} }
      service beta  { source static ${beta} }
      service gamma { source static ${gamma} }
      service delta { source static ${delta} }

      gateway edge {
        listen 127.0.0.1:${port}
        host "api.example" {
          route /** { to delta }
        }
        host "*.wild.example" {
          route /** { to gamma }
        }
        host "*" {
          route GET /method { to alpha }
          route POST /method { to beta }
          route /exact { to alpha }
          route /api/** { to beta }
          route ~ "^/v[0-9]+/items$" { to gamma }
          route /hdr when header "x-canary" = "true" { to delta }
          route /hdr { to alpha }
          route /search when query "q" ~ "^[a-z]+$" { to gamma }
          route /search { to alpha }
        }
      }
      """;

  @TempDir static Path work;
  static Backend alpha;
  static Backend beta;
  static Backend gamma;
  static Backend delta;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    alpha = Backend.start("alpha");
    beta = Backend.start("beta");
    gamma = Backend.start("gamma");
    delta = Backend.start("delta");
    int port = FreePorts.next();
    String policy =
        Policy.render(
            POLICY,
            Map.of(
                "alpha", alpha.address(),
                "beta", beta.address(),
                "gamma", gamma.address(),
                "delta", delta.address(),
                "port", port));
    stack = GatewayStack.start(work, "edge", port, policy);
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, alpha, beta, gamma, delta);
  }

  @Test
  void methodsSelectRoutes() {
    assertServedBy(Http.send("GET", stack.url("/method")), "alpha", "GET", "/method");
    assertServedBy(Http.send("POST", stack.url("/method")), "beta", "POST", "/method");
    assertThat(Http.send("PUT", stack.url("/method")).statusCode()).isEqualTo(404);
  }

  @Test
  void exactPathMatchesOnlyThatPath() {
    assertServedBy(Http.get(stack.url("/exact")), "alpha", "GET", "/exact");
    assertThat(Http.get(stack.url("/exact/more")).statusCode()).isEqualTo(404);
    assertThat(Http.get(stack.url("/exactly")).statusCode()).isEqualTo(404);
  }

  @Test
  void prefixMatchesOnSegmentBoundaries() {
    assertServedBy(Http.get(stack.url("/api")), "beta", "GET", "/api");
    assertServedBy(Http.get(stack.url("/api/")), "beta", "GET", "/api/");
    assertServedBy(Http.get(stack.url("/api/x")), "beta", "GET", "/api/x");
    assertServedBy(Http.get(stack.url("/api/x/y?z=1")), "beta", "GET", "/api/x/y");
    assertThat(Http.get(stack.url("/apix")).statusCode()).isEqualTo(404);
    assertThat(Http.get(stack.url("/ap")).statusCode()).isEqualTo(404);
  }

  @Test
  void regexMatchesTheWholePath() {
    assertServedBy(Http.get(stack.url("/v1/items")), "gamma", "GET", "/v1/items");
    assertServedBy(Http.get(stack.url("/v42/items")), "gamma", "GET", "/v42/items");
    assertThat(Http.get(stack.url("/vx/items")).statusCode()).isEqualTo(404);
    assertThat(Http.get(stack.url("/v1/items/extra")).statusCode()).isEqualTo(404);
    assertThat(Http.get(stack.url("/prefix/v1/items")).statusCode()).isEqualTo(404);
  }

  @Test
  void headerMatchSelectsRoute() {
    assertServedBy(Http.get(stack.url("/hdr"), "x-canary", "true"), "delta", "GET", "/hdr");
    assertServedBy(Http.get(stack.url("/hdr"), "X-Canary", "true"), "delta", "GET", "/hdr");
    assertServedBy(Http.get(stack.url("/hdr"), "x-canary", "false"), "alpha", "GET", "/hdr");
    assertServedBy(Http.get(stack.url("/hdr")), "alpha", "GET", "/hdr");
  }

  @Test
  void queryMatchSelectsRoute() {
    JsonNode served =
        assertServedBy(Http.get(stack.url("/search?q=shoes")), "gamma", "GET", "/search");
    assertThat(served.path("query").asText()).isEqualTo("q=shoes");
    assertServedBy(Http.get(stack.url("/search?q=Shoes1")), "alpha", "GET", "/search");
    assertServedBy(Http.get(stack.url("/search?other=shoes")), "alpha", "GET", "/search");
    assertServedBy(Http.get(stack.url("/search")), "alpha", "GET", "/search");
  }

  @Test
  void hostSelectsVirtualHost() {
    assertServedBy(
        Http.get(stack.url("/anything"), "Host", "api.example"), "delta", "GET", "/anything");
    // strip_any_host_port: the port in the Host header does not matter.
    assertServedBy(
        Http.get(stack.url("/anything"), "Host", "api.example:8080"), "delta", "GET", "/anything");
    assertServedBy(
        Http.get(stack.url("/anything"), "Host", "shop.wild.example"), "gamma", "GET", "/anything");
    // Any other host falls to "*", which has no route for this path.
    assertThat(Http.get(stack.url("/anything"), "Host", "other.example").statusCode())
        .isEqualTo(404);
    assertServedBy(
        Http.get(stack.url("/exact"), "Host", "other.example"), "alpha", "GET", "/exact");
  }

  static JsonNode assertServedBy(
      HttpResponse<String> response, String backend, String method, String path) {
    assertThat(response.statusCode())
        .as("status of %s, body %s", response.uri(), response.body())
        .isEqualTo(200);
    JsonNode json = Http.json(response);
    assertThat(json.path("backend").asText())
        .as("backend serving %s", response.uri())
        .isEqualTo(backend);
    assertThat(json.path("method").asText()).isEqualTo(method);
    assertThat(json.path("path").asText()).isEqualTo(path);
    return json;
  }
}
