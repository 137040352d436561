package dev.meshgate.xds;

import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.discovery.SecretStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * issue 12: api keys and basic-auth users from a Kubernetes Secret, turned into the lines their
 * files would hold, so one parser judges both. Layouts: api keys, one data key per client name
 * whose value is its key (several keys, one per line, while a key is rotated); basic auth, a {@code
 * .htpasswd} data key with htpasswd lines, as Envoy Gateway reads it. Messages name the Secret and
 * its data keys, never a value.
 */
final class SecretCredentials {
  private static final String CLIENT = "[A-Za-z0-9._-]+";

  private SecretCredentials() {}

  /** Thrown when the server has no Secret store: {@code serve} runs without --kubernetes. */
  static final class NoStoreException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NoStoreException(String message) {
      super(message);
    }
  }

  /** Refuses a policy whose groups read Secrets when there is no store to read them from. */
  static void requireStore(List<GatewaySecret> secrets, Optional<SecretStore> store) {
    if (store.isPresent()) {
      return;
    }
    for (GatewaySecret secret : secrets) {
      String what =
          switch (secret) {
            case GatewaySecret.ApiKeysKubernetesSecret k ->
                "api-keys \"" + k.provider() + "\" reads kubernetes-secret \"" + ref(k) + "\"";
            case GatewaySecret.BasicAuthUsersKubernetesSecret u ->
                "basic-auth \"" + u.provider() + "\" reads kubernetes-secret \"" + ref(u) + "\"";
            default -> "";
          };
      if (!what.isEmpty()) {
        throw new NoStoreException(
            what + ", but this server reads no Kubernetes Secrets: start it with --kubernetes");
      }
    }
  }

  static String ref(GatewaySecret.ApiKeysKubernetesSecret k) {
    return k.namespace() + "/" + k.secretName();
  }

  static String ref(GatewaySecret.BasicAuthUsersKubernetesSecret u) {
    return u.namespace() + "/" + u.secretName();
  }

  /** The Secret's keys as {@code client key} lines. */
  static List<String> keyLines(SecretStore store, GatewaySecret.ApiKeysKubernetesSecret k) {
    // Sorted by data key: the same Secret gives the same credentials, in the same order.
    Map<String, String> data = new TreeMap<>(data(store, k.namespace(), k.secretName()));
    List<String> lines = new ArrayList<>();
    data.forEach((client, value) -> {
      List<String> keys = value.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      if (!client.matches(CLIENT)
          || keys.isEmpty()
          || keys.stream().anyMatch(key -> key.matches(".*\\s.*"))) {
        throw new IllegalArgumentException(
            "data key \""
                + client
                + "\" is not a client name (letters, digits, . _ -) holding keys, one per line,"
                + " without spaces");
      }
      keys.forEach(key -> lines.add(client + " " + key));
    });
    return lines;
  }

  /** The Secret's {@code .htpasswd} lines. */
  static List<String> userLines(SecretStore store, GatewaySecret.BasicAuthUsersKubernetesSecret u) {
    String htpasswd =
        data(store, u.namespace(), u.secretName())
            .get(GatewaySecret.BasicAuthUsersKubernetesSecret.DATA_KEY);
    if (htpasswd == null) {
      throw new IllegalArgumentException(
          "it has no data key \"" + GatewaySecret.BasicAuthUsersKubernetesSecret.DATA_KEY + "\"");
    }
    return htpasswd.lines().toList();
  }

  private static Map<String, String> data(SecretStore store, String namespace, String name) {
    return store
        .data(namespace, name)
        .orElseThrow(() ->
            new IllegalArgumentException(
                "it is not found, or not readable with this server's RBAC"));
  }
}
