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
 * Settings written on a gateway or a host are the defaults of its routes, and the most specific
 * place wins: observed at the backend (request headers) and at the client (response headers).
 */
@ExtendWith(PrintLogsOnFailure.class)
class GatewayHostDefaultsIT {
  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${port}
        set response-header "x-served-by" = "edge"
        set request-header "x-gateway" = "yes"

        host "api.example" {
          set response-header "x-served-by" = "api"
          set request-header "x-tier" = "api"
          route /inherits/** { to echo }
          route /own/** {
            to echo
            set request-header "x-tier" = "own"
            remove response-header "x-served-by"
          }
        }

        host "*" {
          route /** { to echo }
        }
      }
      """;

  @TempDir static Path work;
  static Backend echo;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    echo = Backend.start("echo");
    int port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(POLICY, Map.of("echo", echo.address(), "port", port)));
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, echo);
  }

  @Test
  void aRouteInheritsItsHostsAndItsGatewaysSettings() {
    HttpResponse<String> response = Http.get(stack.url("/inherits/a"), "Host", "api.example");
    JsonNode seen = ok(response);
    assertThat(seen.path("headers").path("x-tier").asText()).isEqualTo("api");
    assertThat(seen.path("headers").path("x-gateway").asText()).isEqualTo("yes");
    // The host's value of x-served-by replaces the gateway's.
    assertThat(response.headers().allValues("x-served-by")).containsExactly("api");
  }

  @Test
  void aRoutesOwnChangeOfAHeaderReplacesTheDefaultsForThatHeaderOnly() {
    HttpResponse<String> response = Http.get(stack.url("/own/a"), "Host", "api.example");
    JsonNode seen = ok(response);
    assertThat(seen.path("headers").path("x-tier").asText()).isEqualTo("own");
    assertThat(seen.path("headers").path("x-gateway").asText()).isEqualTo("yes");
    assertThat(response.headers().firstValue("x-served-by")).isEmpty();
  }

  @Test
  void anotherHostGetsOnlyTheGatewaysDefaults() {
    HttpResponse<String> response = Http.get(stack.url("/x"), "Host", "www.example");
    JsonNode seen = ok(response);
    assertThat(seen.path("headers").has("x-tier")).as("headers: %s", seen).isFalse();
    assertThat(seen.path("headers").path("x-gateway").asText()).isEqualTo("yes");
    assertThat(response.headers().allValues("x-served-by")).containsExactly("edge");
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(200);
    JsonNode json = Http.json(response);
    assertThat(json.path("backend").asText()).isEqualTo("echo");
    return json;
  }
}
