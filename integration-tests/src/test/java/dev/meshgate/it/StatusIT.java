package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** meshgate's admin API tells the truth about the Envoys connected to it. */
@ExtendWith(PrintLogsOnFailure.class)
class StatusIT {
  private static final String POLICY =
      """
      service web {
        source static ${web} labels version=v1
        subset v1 where version = "v1"
      }
      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /v1/** { to web.v1 }
          route /** { to web }
        }
      }
      """;

  @TempDir static Path work;
  static Backend web;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    web = Backend.start("web");
    int port = FreePorts.next();
    stack =
        GatewayStack.start(
            work, "edge", port, Policy.render(POLICY, Map.of("web", web.address(), "port", port)));
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, web);
  }

  @Test
  void statusListsTheEnvoyWithAckedVersionsOfItsGroup() {
    JsonNode status =
        XdsStatus.awaitAllAcked(
            stack.meshgate(), stack.envoy().nodeId(), "gateway:edge", Duration.ofSeconds(10));
    JsonNode proxy = XdsStatus.proxy(status, stack.envoy().nodeId()).orElseThrow();
    assertThat(proxy.path("group").asText()).isEqualTo("gateway:edge");
    assertThat(proxy.path("connectedAt").asText()).isNotBlank();
    for (String type : XdsStatus.TYPES) {
      assertThat(proxy.path("xds").path(type).path("lastNack").isNull())
          .as("%s lastNack in %s", type, proxy)
          .isTrue();
    }
    assertThat(status.path("proxies")).hasSize(1);
    assertThat(status.at("/policy/version").asText()).isNotBlank();
    assertThat(status.at("/policy/lastReload/ok").asBoolean()).isTrue();
    // And the traffic agrees.
    assertThat(Http.get(stack.url("/v1/a")).statusCode()).isEqualTo(200);
  }

  @Test
  void envoyGetsItsConfigOverMutualTlsByDefault() {
    XdsStatus.awaitAllAcked(
        stack.meshgate(), stack.envoy().nodeId(), "gateway:edge", Duration.ofSeconds(10));
    stack.envoy().assertXdsOverTls();
    assertThat(stack.envoy().stat("control_plane.connected_state")).hasValue(1);
  }

  @Test
  void metricsCountConnectedProxies() {
    Wait.until(
        Duration.ofSeconds(5),
        "meshgate_proxies_connected 1",
        () -> stack.meshgate().metric("meshgate_proxies_connected").orElse(-1.0) == 1.0);
    String metrics = stack.meshgate().metrics();
    assertThat(metrics).contains("meshgate_xds_pushes_total", "meshgate_policy_compiles_total");
    for (String line : metrics.split("\n")) {
      if (line.startsWith("meshgate_xds_nacks_total")) {
        assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).as(line).isZero();
      }
    }
  }

  @Test
  void secondEnvoyAppearsAndDisappears() {
    try (EnvoyProcess second = GatewayStack.startEnvoy("edge", stack.meshgate(), work, 0)) {
      XdsStatus.awaitAllAcked(
          stack.meshgate(), second.nodeId(), "gateway:edge", Duration.ofSeconds(10));
      assertThat(stack.meshgate().metric("meshgate_proxies_connected")).contains(2.0);
      second.assertNothingRejected();
    }
    Wait.until(
        Duration.ofSeconds(10),
        "the closed Envoy to leave /status and meshgate_proxies_connected to drop to 1",
        () ->
            stack.meshgate().status().path("proxies").size() == 1
                && stack.meshgate().metric("meshgate_proxies_connected").orElse(-1.0) == 1.0);
  }

  @Test
  void adminApiAnswersUnknownPathsAndMethods() {
    HttpResponse<String> health = Http.get(stack.meshgate().adminUrl("/healthz"));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(Http.json(health).path("status").asText()).isEqualTo("ok");
    HttpResponse<String> missing = Http.get(stack.meshgate().adminUrl("/no-such-page"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(Http.json(missing).path("error").asText()).isNotBlank();
    assertThat(Http.send("POST", stack.meshgate().adminUrl("/status")).statusCode()).isEqualTo(405);
  }
}
