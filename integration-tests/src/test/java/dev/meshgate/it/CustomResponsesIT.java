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

/**
 * Custom error responses (issue 13): a backend's 500, a dead backend's 503 and a request no route
 * matches answered with the policy's JSON envelope or HTML page, status kept, with the request id
 * the response header carries and the backend received; a host with {@code error-response off} and
 * a route that answers itself keep their own bodies. One real Envoy configured by a real {@code
 * meshgate serve}.
 */
@ExtendWith(PrintLogsOnFailure.class)
class CustomResponsesIT {
  private static final String POLICY =
      """
      service api { source static ${api} }
      service dead { source static 127.0.0.1:${dead} }

      gateway edge {
        listen 127.0.0.1:${port}
        error-response 404 json "{\\"error\\": \\"not found\\", \\"status\\": \\"%status%\\", \\"request_id\\": \\"%request-id%\\"}"

        host "api.example" {
          error-response 5xx json "{\\"error\\": {\\"status\\": \\"%status%\\", \\"details\\": \\"%details%\\"}, \\"request_id\\": \\"%request-id%\\"}"
          route /dead/** { to dead }
          route /healthz { respond 503 "draining" }
          route /** { to api }
        }
        host "www.example" {
          error-response 5xx html file "errors/5xx.html"
          route /** { to api }
        }
        host "plain.example" {
          error-response off
          route /** { to api }
        }
      }
      """;

  private static final String PAGE =
      "<!doctype html><title>Sorry</title><p style=\"width: 100%\">Error %status%, reference"
          + " %request-id%.</p>\n";

  @TempDir static Path work;
  static Backend api;
  static GatewayStack stack;
  static int port;

  @BeforeAll
  static void start() {
    api = Backend.start("api");
    port = FreePorts.next();
    Policy.write(work.resolve("policy/errors/5xx.html"), PAGE);
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(
                POLICY, Map.of("api", api.address(), "dead", FreePorts.next(), "port", port)));
  }

  @AfterEach
  void envoyRejectedNothing() {
    api.reset();
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, api);
  }

  @Test
  void aBackend500BecomesTheHostsJsonEnvelopeWithTheRequestId() {
    api.failPath("/orders/1", 500);

    HttpResponse<String> response = get("api.example", "/orders/1");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode body = Http.json(response);
    assertThat(body.path("error").path("status").asInt()).isEqualTo(500);
    assertThat(body.path("error").path("details").asText()).isEqualTo("via_upstream");
    String id = body.path("request_id").asText();
    assertThat(id).isNotBlank();
    assertThat(response.headers().firstValue("x-request-id")).contains(id);
    assertThat(api.lastHeaders()).containsEntry("x-request-id", id);
    assertThat(response.body()).doesNotContain("\"backend\"");
  }

  @Test
  void aDeadBackendsEnvoy503GetsTheEnvelopeToo() {
    HttpResponse<String> response = get("api.example", "/dead/x");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode body = Http.json(response);
    assertThat(body.path("error").path("status").asInt()).isEqualTo(503);
    assertThat(body.path("error").path("details").asText())
        .startsWith("upstream_reset_before_response_started");
    assertThat(response.headers().firstValue("x-request-id"))
        .contains(body.path("request_id").asText());
  }

  @Test
  void aRequestNoRouteMatchesGetsTheGatewaysNotFoundBody() {
    HttpResponse<String> response = get("nowhere.example", "/anything");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode body = Http.json(response);
    assertThat(body.path("error").asText()).isEqualTo("not found");
    assertThat(body.path("status").asInt()).isEqualTo(404);
    assertThat(response.headers().firstValue("x-request-id"))
        .contains(body.path("request_id").asText());
  }

  @Test
  void aBackend404UnderAHostInheritsTheGatewaysNotFoundBody() {
    api.failPath("/missing", 404);

    HttpResponse<String> response = get("api.example", "/missing");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(Http.json(response).path("error").asText()).isEqualTo("not found");
  }

  @Test
  void aHostWithAnHtmlPageAnswersItsErrorsWithThePage() {
    api.failPath("/page", 502);

    HttpResponse<String> response = get("www.example", "/page");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    String id = response.headers().firstValue("x-request-id").orElseThrow();
    assertThat(response.body())
        .isEqualTo(
            "<!doctype html><title>Sorry</title><p style=\"width: 100%\">Error 502, reference "
                + id
                + ".</p>\n");
  }

  @Test
  void aHostWithErrorResponsesOffKeepsTheBackendsOwnErrorBody() {
    api.failPath("/plain", 500);

    HttpResponse<String> response = get("plain.example", "/plain");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(Http.json(response).path("backend").asText()).isEqualTo("api");
  }

  @Test
  void aRouteThatAnswersItselfKeepsItsOwnBody() {
    HttpResponse<String> response = get("api.example", "/healthz");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("draining");
  }

  @Test
  void aSuccessfulResponseIsUntouched() {
    HttpResponse<String> response = get("api.example", "/fine");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.json(response).path("backend").asText()).isEqualTo("api");
  }

  private static HttpResponse<String> get(String host, String path) {
    return Http.get("http://127.0.0.1:" + port + path, "host", host);
  }
}
