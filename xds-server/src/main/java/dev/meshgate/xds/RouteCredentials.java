package dev.meshgate.xds;

import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.compiler.Htpasswd;
import dev.meshgate.discovery.SecretStore;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.Credential;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * api keys and basic auth (issue 12): the credentials Envoy takes inline in route configs rather
 * than over SDS. The compiled routes name only the files ({@link GatewaySecret.ApiKeysFile}, {@link
 * GatewaySecret.BasicAuthUsersFile}); at serve time the files are read ({@link ApiKeyCredentials},
 * {@link BasicAuthUsers}) and their content goes into the per-route configs of the group that
 * requires them, and nowhere else. Unchanged input gives the same, already hashed group back.
 * Confined to the publisher thread.
 */
final class RouteCredentials {
  private final ApiKeyCredentials apiKeys;
  private final BasicAuthUsers basicAuth;

  RouteCredentials(Optional<SecretStore> store) {
    this.apiKeys = new ApiKeyCredentials(store);
    this.basicAuth = new BasicAuthUsers(store);
  }

  RouteCredentials() {
    this(Optional.empty());
  }

  /** What was served last, per group: the same input gives the same group. */
  private record Injected(
      PreparedGroup source,
      Map<String, List<Credential>> keys,
      Map<String, List<Htpasswd.User>> users,
      PreparedGroup served) {}

  private final Map<String, Injected> injected = new HashMap<>();

  /** Whether the group's routes need credentials from files. */
  static boolean reads(List<GatewaySecret> secrets) {
    return secrets.stream()
        .anyMatch(s ->
            s instanceof GatewaySecret.ApiKeysFile
                || s instanceof GatewaySecret.BasicAuthUsersFile
                || s instanceof GatewaySecret.ApiKeysKubernetesSecret
                || s instanceof GatewaySecret.BasicAuthUsersKubernetesSecret);
  }

  /** {@code group} as served: its routes with the keys and users of its providers. */
  PreparedGroup serve(PreparedGroup group) {
    if (!reads(group.tlsSecrets())) {
      injected.remove(group.key());
      return group;
    }
    Map<String, List<Credential>> keys = apiKeys.read(group.tlsSecrets());
    Map<String, List<Htpasswd.User>> users = basicAuth.read(group.tlsSecrets());
    Injected before = injected.get(group.key());
    if (before != null
        && before.source() == group
        && before.keys().equals(keys)
        && before.users().equals(users)) {
      return before.served();
    }
    List<RouteConfiguration> routes = new ArrayList<>();
    group
        .routes()
        .byName()
        .values()
        .forEach(v ->
            routes.add(
                BasicAuthUsers.withUsers(ApiKeyCredentials.withKeys(v.resource(), keys), users)));
    PreparedGroup served =
        new PreparedGroup(
            group.key(),
            group.clusters(),
            group.listeners(),
            TypedResources.of(routes),
            group.endpoints(),
            group.identity(),
            group.tlsSecrets());
    injected.put(group.key(), new Injected(group, keys, users, served));
    return served;
  }

  void retain(Set<String> groups) {
    injected.keySet().retainAll(groups);
  }
}
