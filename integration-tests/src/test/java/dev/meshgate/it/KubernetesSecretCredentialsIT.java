package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import dev.meshgate.discovery.testing.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys from a Kubernetes Secret (issue 12): fabric8's mock API server in this JVM, a real
 * {@code meshgate serve --kubernetes} child process and a real Envoy. A key of the Secret is
 * accepted; a Secret update rotates it without a restart; a malformed update keeps the last good
 * keys; the policy and the server's log never hold a key.
 */
@ExtendWith(PrintLogsOnFailure.class)
class KubernetesSecretCredentialsIT {
  private static final String OLD_KEY = "sec-old-2b4d6f8a0c1e3a5c";
  private static final String NEW_KEY = "sec-new-9e7c5a3f1d0b8f6d";
  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${port}
        api-keys "partners" {
          keys kubernetes-secret "meshgate/partner-keys"
        }
        host "*" {
          route /** {
            require api-key "partners"
            to echo
          }
        }
      }
      """;

  @TempDir static Path work;
  static final List<AutoCloseable> open = new ArrayList<>();

  @AfterAll
  static void stop() {
    Closer.closeAll(open.reversed().toArray(AutoCloseable[]::new));
  }

  private static <T extends AutoCloseable> T keep(T resource) {
    open.add(resource);
    return resource;
  }

  private static Secret keys(Map<String, String> data) {
    SecretBuilder b =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace("meshgate")
            .withName("partner-keys")
            .endMetadata();
    data.forEach((k, v) ->
        b.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return b.build();
  }

  @Test
  void aKeyFromTheSecretIsAcceptedAndAnUpdateRotatesItWithoutARestart() {
    RequiredEnvoy.path(); // skip (or fail in CI) before starting anything
    KubernetesMockApi api = keep(KubernetesMockApi.start());
    api.create(keys(Map.of("acme", OLD_KEY)));
    Backend echo = keep(Backend.start("echo"));
    int port = FreePorts.next();
    Path policy =
        Policy.write(
            work.resolve("policy/policy.mesh"),
            Policy.render(POLICY, Map.of("echo", echo.address(), "port", port)));
    MeshgateProcess meshgate =
        keep(MeshgateProcess.start(policy.getParent(), work, api.jvmOptions(), "--kubernetes"));
    EnvoyProcess envoy = keep(GatewayStack.startEnvoy("edge", meshgate, work, 1));
    String url = "http://127.0.0.1:" + port + "/x";

    Wait.until(
        Duration.ofSeconds(30),
        "the gateway accepting the Secret's key",
        () -> Http.get(url, "x-api-key", OLD_KEY).statusCode() == 200);
    assertThat(echo.lastHeaders()).containsEntry("x-meshgate-client", "acme");
    assertThat(Http.get(url).statusCode()).isEqualTo(401);
    assertThat(Http.get(url, "x-api-key", NEW_KEY).statusCode()).isEqualTo(401);

    api.client().resource(keys(Map.of("acme", NEW_KEY))).update();
    Wait.until(
        Duration.ofSeconds(10),
        "the rotated key accepted",
        () -> Http.get(url, "x-api-key", NEW_KEY).statusCode() == 200);
    assertThat(Http.get(url, "x-api-key", OLD_KEY).statusCode()).isEqualTo(401);

    // Malformed (a key with a space): the last good key stays in service.
    api.client().resource(keys(Map.of("acme", "two words"))).update();
    Wait.until(
        Duration.ofSeconds(10),
        "the malformed Secret reported",
        () -> meshgate.logText().contains("kubernetes-secret meshgate/partner-keys"));
    assertThat(Http.get(url, "x-api-key", NEW_KEY).statusCode()).isEqualTo(200);

    envoy.assertNothingRejected();
    assertThat(meshgate.logText()).doesNotContain(OLD_KEY, NEW_KEY, "two words");
  }
}
