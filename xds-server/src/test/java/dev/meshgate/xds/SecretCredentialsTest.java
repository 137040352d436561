package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.compiler.Htpasswd;
import dev.meshgate.discovery.SecretStore;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.Credential;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** issue 12: api keys and basic-auth users read from Kubernetes Secrets (a store in memory). */
class SecretCredentialsTest {
  /** Secrets by "ns/name", changed by the test as the cluster would. */
  private static final class MapStore implements SecretStore {
    final Map<String, Map<String, String>> secrets = new HashMap<>();

    @Override
    public Optional<Map<String, String>> data(String namespace, String name) {
      return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }

    @Override
    public void close() {}
  }

  private static final GatewaySecret.ApiKeysKubernetesSecret KEYS =
      new GatewaySecret.ApiKeysKubernetesSecret("partners", "meshgate", "partner-keys");
  private static final GatewaySecret.BasicAuthUsersKubernetesSecret USERS =
      new GatewaySecret.BasicAuthUsersKubernetesSecret("admins", "meshgate", "admin-users");

  @Test
  void keysComeFromOneDataKeyPerClientAndRotateKeepingTheLastGood() {
    MapStore store = new MapStore();
    ApiKeyCredentials credentials = new ApiKeyCredentials(Optional.of(store));
    store.secrets.put("meshgate/partner-keys", Map.of("globex", "k-3", "acme", "k-1\nk-2\n"));

    assertThat(credentials.read(List.of(KEYS)).get("partners"))
        .extracting(Credential::getClient, Credential::getKey)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("acme", "k-1"),
            org.assertj.core.groups.Tuple.tuple("acme", "k-2"),
            org.assertj.core.groups.Tuple.tuple("globex", "k-3"));

    store.secrets.put("meshgate/partner-keys", Map.of("acme", "k-9"));
    assertThat(credentials.read(List.of(KEYS)).get("partners"))
        .extracting(Credential::getKey)
        .containsExactly("k-9");

    // Malformed (a key with a space) or deleted: the last good keys stay.
    store.secrets.put("meshgate/partner-keys", Map.of("acme", "two words"));
    assertThat(credentials.read(List.of(KEYS)).get("partners"))
        .extracting(Credential::getKey)
        .containsExactly("k-9");
    store.secrets.remove("meshgate/partner-keys");
    assertThat(credentials.read(List.of(KEYS)).get("partners"))
        .extracting(Credential::getKey)
        .containsExactly("k-9");
  }

  @Test
  void aSecretNeverReadGivesNoKey() {
    ApiKeyCredentials credentials = new ApiKeyCredentials(Optional.of(new MapStore()));

    assertThat(credentials.read(List.of(KEYS))).containsEntry("partners", List.of());
  }

  @Test
  void usersComeFromTheHtpasswdDataKey() {
    MapStore store = new MapStore();
    BasicAuthUsers users = new BasicAuthUsers(Optional.of(store));
    store.secrets.put(
        "meshgate/admin-users", Map.of(".htpasswd", "alice:{SHA}w3QkzGJswDXW5OKZHAJw0FELjfM=\n"));

    assertThat(users.read(List.of(USERS)).get("admins"))
        .extracting(Htpasswd.User::name)
        .containsExactly("alice");

    store.secrets.put("meshgate/admin-users", Map.of("htpasswd", "alice:{SHA}x"));
    assertThat(users.read(List.of(USERS)).get("admins"))
        .extracting(Htpasswd.User::name)
        .containsExactly("alice");
  }

  @Test
  void withoutAStoreThePolicyIsRefusedNamingTheFlag() {
    assertThatThrownBy(() -> SecretCredentials.requireStore(List.of(KEYS), Optional.empty()))
        .isInstanceOf(SecretCredentials.NoStoreException.class)
        .hasMessage(
            "api-keys \"partners\" reads kubernetes-secret \"meshgate/partner-keys\", but this"
                + " server reads no Kubernetes Secrets: start it with --kubernetes");
    SecretCredentials.requireStore(List.of(KEYS), Optional.of(new MapStore()));
  }
}
