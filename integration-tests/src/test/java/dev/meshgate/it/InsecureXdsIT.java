package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --insecure-xds}, the development flag: plaintext xDS without client certificates works (a
 * gateway Envoy with a plaintext bootstrap serves traffic; a plaintext ADS client is answered) and
 * the server says loudly that it is insecure. Its opposite, plaintext refused by default, is in
 * {@link XdsIdentityIT}.
 */
@ExtendWith(PrintLogsOnFailure.class)
class InsecureXdsIT {
  private static final String POLICY =
      """
      service web { source static ${web} }
      gateway edge {
        listen 127.0.0.1:${port}
        host "*" { route /** { to web } }
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
            work,
            "edge",
            port,
            Policy.render(POLICY, Map.of("web", web.address(), "port", port)),
            MeshgateProcess.INSECURE_XDS);
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, web);
  }

  @Test
  void plaintextEnvoyIsServed() throws Exception {
    assertThat(stack.meshgate().insecureXds()).isTrue();
    String bootstrap = Files.readString(bootstrapOf(stack.envoy()));
    assertThat(bootstrap).as("an insecure bootstrap carries no key").doesNotContain("PRIVATE KEY");
    assertThat(MeshStack.ok(Http.get(stack.url("/hello"))).path("backend").asText())
        .isEqualTo("web");
    XdsStatus.awaitAllAcked(
        stack.meshgate(), stack.envoy().nodeId(), "gateway:edge", Duration.ofSeconds(10));
    stack.envoy().assertNothingRejected();
    assertThat(stack.envoy().stat("cluster.meshgate_xds.ssl.handshake").orElse(0))
        .as("TLS handshakes with meshgate")
        .isZero();
    assertThat(stack.envoy().stat("control_plane.connected_state")).hasValue(1);
  }

  @Test
  void plaintextAdsClientIsAnswered() {
    try (AdsClient client = AdsClient.plaintext(stack.meshgate().xdsPort())) {
      AdsClient.Outcome outcome =
          client.sotw(
              AdsClient.node("it-plain", "gateway", "edge"),
              AdsClient.CLUSTERS,
              List.of(),
              Duration.ofSeconds(5));
      assertThat(outcome.responses()).as("%s", outcome).hasSize(1);
      assertThat(AdsClient.resourceNames(outcome.responses().getFirst())).contains("web");
    }
  }

  @Test
  void serverWarnsThatItIsInsecure() {
    assertThat(stack.meshgate().logText().lines())
        .as("meshgate's log")
        .anySatisfy(line -> assertThat(line).contains("WARN").contains("--insecure-xds"));
  }

  private static Path bootstrapOf(EnvoyProcess envoy) {
    String config = envoy.serverInfo().path("command_line_options").path("config_path").asText();
    return Path.of(config);
  }
}
