package dev.meshgate.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.testing.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** issue 12: Secrets read and watched against fabric8's mock API server (CRUD mode). */
class KubernetesSecretsTest {
  private KubernetesMockApi mock;
  private KubernetesSecrets secrets;

  @BeforeEach
  void cluster() {
    mock = KubernetesMockApi.start();
    secrets = new KubernetesSecrets(mock.client());
  }

  @AfterEach
  void close() {
    secrets.close();
    mock.close();
  }

  private static Secret secret(String namespace, String name, Map<String, String> data) {
    SecretBuilder b =
        new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata();
    data.forEach((k, v) ->
        b.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return b.build();
  }

  @Test
  void readsDecodedDataAndFollowsUpdates() {
    mock.create(secret("meshgate", "partner-keys", Map.of("acme", "k-1", "globex", "k-2")));
    mock.create(secret("meshgate", "other", Map.of("x", "y")));

    assertThat(secrets.data("meshgate", "partner-keys"))
        .contains(Map.of("acme", "k-1", "globex", "k-2"));

    mock.client().resource(secret("meshgate", "partner-keys", Map.of("acme", "k-3"))).update();
    awaitValue(() -> secrets.data("meshgate", "partner-keys"), Optional.of(Map.of("acme", "k-3")));

    mock.client().secrets().inNamespace("meshgate").withName("partner-keys").delete();
    awaitValue(() -> secrets.data("meshgate", "partner-keys"), Optional.empty());
  }

  @Test
  void anAbsentSecretIsEmptyUntilItIsCreated() {
    assertThat(secrets.data("meshgate", "later")).isEmpty();

    mock.create(secret("meshgate", "later", Map.of(".htpasswd", "alice:{SHA}x")));

    awaitValue(
        () -> secrets.data("meshgate", "later"), Optional.of(Map.of(".htpasswd", "alice:{SHA}x")));
  }

  private static <T> void awaitValue(Supplier<T> actual, T expected) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!actual.get().equals(expected) && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    assertThat(actual.get()).isEqualTo(expected);
  }
}
