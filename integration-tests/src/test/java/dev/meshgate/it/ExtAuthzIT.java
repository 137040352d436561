package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * external authorization (issue 12) through a real Envoy configured by a real {@code meshgate
 * serve}, against a real gRPC {@code envoy.service.auth.v3.Authorization} server and a real HTTP
 * authorization service ({@link ExtAuthzServers}), both deciding from the request header {@code
 * x-decision}: an allowed request reaches the backend with the header the service added, a refused
 * one gets the service's own status, headers and body, a service that is down or too slow refuses
 * (on-error deny) or lets through (on-error allow), and a route with {@code ext-authz off} never
 * asks. One Envoy and one server serve every case.
 */
@ExtendWith(PrintLogsOnFailure.class)
class ExtAuthzIT {
  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${port}
        ext-authz "grpc-policy" { grpc "${grpc}" timeout 5s on-error deny }
        ext-authz "http-policy" {
          http "${http}" path-prefix "/authz"
          timeout 5s
          send-headers "x-decision"
          upstream-headers "x-user-id"
        }
        ext-authz "down-closed" { grpc "127.0.0.1:${dead}" on-error deny }
        ext-authz "down-open" { grpc "127.0.0.1:${dead}" on-error allow }
        ext-authz "slow-closed" { grpc "${grpc}" timeout 100ms on-error deny }
        ext-authz "slow-open" { http "${http}" timeout 100ms on-error allow send-headers "x-decision" }
        require ext-authz "grpc-policy"

        host "*" {
          route /probe { to echo  ext-authz off }
          route /public/** { to echo  ext-authz off }
          route /grpc/** { to echo }
          route /http/** { to echo  require ext-authz "http-policy" }
          route /down-closed/** { to echo  require ext-authz "down-closed" }
          route /down-open/** { to echo  require ext-authz "down-open" }
          route /slow-closed/** { to echo  require ext-authz "slow-closed" }
          route /slow-open/** { to echo  require ext-authz "slow-open" }
        }
      }
      """;

  @org.junit.jupiter.api.io.TempDir static Path work;
  static Backend echo;
  static ExtAuthzServers.GrpcAuthz grpc;
  static ExtAuthzServers.HttpAuthz http;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    echo = Backend.start("echo");
    grpc = ExtAuthzServers.GrpcAuthz.start();
    http = ExtAuthzServers.HttpAuthz.start();
    int port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(
                POLICY,
                Map.of(
                    "echo", echo.address(),
                    "port", port,
                    "grpc", grpc.address(),
                    "http", http.address(),
                    "dead", FreePorts.next())));
    Wait.until(
        Duration.ofSeconds(30),
        "the routes to be served",
        () -> Http.get(stack.url("/probe")).statusCode() == 200);
    // The first check opens Envoy's HTTP/2 connection to the gRPC service; on a busy machine that
    // can take longer than a check should, so the cases start once a check has passed. The
    // generous 5s timeouts above are for the same reason; the timeout cases use 100ms.
    Wait.until(
        Duration.ofSeconds(30),
        "a first check to pass",
        () -> Http.get(stack.url("/grpc/warm-up"), "x-decision", "allow").statusCode() == 200);
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, grpc, http, echo);
  }

  @Test
  void grpcServiceAllowsAndItsHeaderReachesTheBackend() {
    int before = grpc.calls();
    HttpResponse<String> response = Http.get(stack.url("/grpc/items"), "x-decision", "allow");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Http.json(response).path("backend").asText()).isEqualTo("echo");
    assertThat(echo.lastHeaders()).containsEntry("x-user-id", "alice");
    assertThat(grpc.calls()).isEqualTo(before + 1);
    // The service is told which route asks (context_extensions) and sees the request's headers.
    assertThat(grpc.last().path()).isEqualTo("/grpc/items");
    assertThat(grpc.last().context()).containsEntry("route", "*/3");
    assertThat(grpc.last().headers()).containsEntry("x-decision", "allow");
  }

  @Test
  void grpcServiceRefusesWithItsOwnStatusHeaderAndBody() {
    int before = echo.requests();
    HttpResponse<String> response = Http.get(stack.url("/grpc/items"), "x-decision", "deny");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("denied by the grpc policy");
    assertThat(response.headers().firstValue("x-authz-reason")).hasValue("grpc-policy");
    assertThat(echo.requests()).as("the backend is never asked").isEqualTo(before);
  }

  @Test
  void httpServiceAllowsAndOnlyTheListedHeaderGoesUpstream() {
    int before = http.calls();
    HttpResponse<String> response = Http.get(stack.url("/http/orders"), "x-decision", "allow");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(echo.lastHeaders()).containsEntry("x-user-id", "bob");
    assertThat(echo.lastHeaders()).doesNotContainKey("x-not-for-upstream");
    assertThat(http.calls()).isEqualTo(before + 1);
    // Asked with the request's path under the path-prefix, with the header it was sent.
    assertThat(http.last().path()).isEqualTo("/authz/http/orders");
    assertThat(http.last().headers()).containsEntry("x-decision", "allow");
  }

  @Test
  void httpServiceRefusesWithItsOwnStatusHeaderAndBody() {
    int before = echo.requests();
    HttpResponse<String> response = Http.get(stack.url("/http/orders"), "x-decision", "deny");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("denied by the http policy");
    assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"test\"");
    assertThat(echo.requests()).isEqualTo(before);
  }

  @Test
  void aServiceThatIsDownRefusesOrLetsThroughAsOnErrorSays() {
    assertThat(Http.get(stack.url("/down-closed/x"), "x-decision", "allow").statusCode())
        .isEqualTo(403);
    HttpResponse<String> open = Http.get(stack.url("/down-open/x"), "x-decision", "allow");
    assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
    assertThat(Http.json(open).path("path").asText()).isEqualTo("/down-open/x");
  }

  @Test
  void aServiceSlowerThanTheTimeoutRefusesOrLetsThroughAsOnErrorSays() {
    // The services would allow, but only after 1.5s: past the 100ms timeout.
    int grpcBefore = grpc.calls();
    assertThat(Http.get(stack.url("/slow-closed/x"), "x-decision", "slow").statusCode())
        .isEqualTo(403);
    assertThat(grpc.calls()).as("the service was asked").isEqualTo(grpcBefore + 1);

    int httpBefore = http.calls();
    HttpResponse<String> open = Http.get(stack.url("/slow-open/x"), "x-decision", "slow");
    assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
    assertThat(echo.lastHeaders()).as("no decision, so no header").doesNotContainKey("x-user-id");
    assertThat(http.calls()).isEqualTo(httpBefore + 1);
  }

  @Test
  void aRouteWithExtAuthzOffNeverAsks() {
    int grpcBefore = grpc.calls();
    int httpBefore = http.calls();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = Http.get(stack.url("/public/page"));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    assertThat(grpc.calls()).isEqualTo(grpcBefore);
    assertThat(http.calls()).isEqualTo(httpBefore);
  }

  @Test
  void theGatewayDefaultDecidesRoutesThatSayNothing() {
    // No x-decision: the grpc policy (the gateway's default) refuses.
    HttpResponse<String> response = Http.get(stack.url("/grpc/other"));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("denied by the grpc policy");
  }
}
