package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config Envoy really rejects: the policy's listener port is already taken, so Envoy NACKs the
 * listener. meshgate must report the NACK (/status lastNack, nacks metric), and the harness's
 * "nothing rejected" check, which every other test relies on, must catch it.
 */
@ExtendWith(PrintLogsOnFailure.class)
class NackReportingIT {
  private static final String POLICY =
      """
      service web { source static 127.0.0.1:9 }
      gateway edge {
        listen 127.0.0.1:${port}
        host "*" { route /** { to web } }
      }
      """;

  @TempDir static Path work;
  static MeshgateProcess meshgate;
  static EnvoyProcess envoy;

  @AfterAll
  static void stop() {
    Closer.closeAll(envoy, meshgate);
  }

  @Test
  void listenerThatCannotBindIsNackedAndReported() throws IOException {
    RequiredEnvoy.path();
    // Held without SO_REUSEPORT, so Envoy's (reuse-port) listener cannot bind beside it.
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Path policy =
          Policy.write(
              work.resolve("policy/policy.mesh"), Policy.render(POLICY, Map.of("port", port)));
      meshgate = MeshgateProcess.start(policy.getParent(), work);
      envoy = GatewayStack.startEnvoy("edge", meshgate, work, 0);

      Wait.until(
          Duration.ofSeconds(10),
          "Envoy to reject the listener",
          () -> envoy.stat("listener_manager.lds.update_rejected").orElse(0) >= 1);
      assertThatThrownBy(envoy::assertNothingRejected)
          .hasMessageContaining("listener_manager.lds.update_rejected");

      JsonNode nack =
          Wait.until(
              Duration.ofSeconds(10),
              "meshgate /status to show the listeners NACK",
              () -> {
                JsonNode proxy = XdsStatus.proxy(meshgate.status(), envoy.nodeId()).orElseThrow();
                JsonNode lastNack = proxy.path("xds").path("listeners").path("lastNack");
                return lastNack.isObject() ? Optional.of(lastNack) : Optional.empty();
              });
      assertThat(nack.path("message").asText())
          .as("NACK %s", nack)
          .contains(Integer.toString(port));
      assertThat(nack.path("version").asText()).isNotBlank();
      assertThat(nack.path("at").asText()).isNotBlank();
      Wait.until(
          Duration.ofSeconds(5),
          "meshgate_xds_nacks_total{type=\"listeners\"} >= 1",
          () -> meshgate.metric("meshgate_xds_nacks_total{type=\"listeners\"}").orElse(0.0) >= 1.0);
      // The rejected version is not sent again until the policy changes. (It once was, at
      // once and forever: ~140 pushes and NACKs a second.)
      String listenerPushes = "meshgate_xds_pushes_total{type=\"listeners\"}";
      double pushesAtNack = meshgate.metric(listenerPushes).orElseThrow();
      Wait.sleep(Duration.ofSeconds(2));
      double pushesLater = meshgate.metric(listenerPushes).orElseThrow();
      assertThat(pushesLater)
          .as("listener pushes 2 s after the NACK (%s when it was seen)", pushesAtNack)
          .isLessThan(10.0);
      assertThat(envoy.stat("listener_manager.lds.update_rejected").orElseThrow())
          .as("listener updates Envoy rejected")
          .isLessThan(10);
      // Only the listener was refused: clusters and routes were accepted.
      assertThat(envoy.stat("cluster_manager.cds.update_rejected")).hasValue(0);
    }
  }
}
