package dev.meshgate.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.compiler.Htpasswd;
import dev.meshgate.discovery.SecretStore;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * basic auth (issue 12): reads the htpasswd file of each {@code basic-auth} provider, for {@link
 * RouteCredentials} to put into the routes a gateway is served. The compiled routes turn the
 * provider's filter on with a per-route config whose users are a comment line (the compiled output
 * names the file only); here the file's users replace it: all of them, or the ones the route lists
 * in its metadata {@value #METADATA}. Only what Envoy receives holds the hashes (the admin API
 * redacts {@code users}, see {@link Redaction}). A changed file is an RDS update.
 *
 * <p>Envoy refuses a whole configuration over one bad htpasswd line, so the file is parsed here
 * ({@link Htpasswd}: {@code user:{SHA}hash} lines only) and a file that cannot be read or does not
 * parse keeps the last good users in service, logged once with file and line, never a hash; one
 * that never could be read leaves the provider with no user, so its routes answer 401 (fail
 * closed). Confined to the publisher thread.
 */
final class BasicAuthUsers {
  private static final Logger LOG = LoggerFactory.getLogger(BasicAuthUsers.class);

  static final String FILTER_PREFIX = "envoy.filters.http.basic_auth.";

  /** Route metadata with the only users the route lets in (compiler's translate/BasicAuths). */
  static final String METADATA = "meshgate.basic_auth";

  private final LastGoodCredentials<Htpasswd.User> lastGood =
      new LastGoodCredentials<>(
          LOG,
          Htpasswd::parse,
          new LastGoodCredentials.Wording(
              "users of basic-auth",
              "users",
              "keeping the last good users",
              "no user is let in until it can be read"));

  /** Where {@code users kubernetes-secret} is read; empty without --kubernetes. */
  private final Optional<SecretStore> store;

  BasicAuthUsers(Optional<SecretStore> store) {
    this.store = store;
  }

  BasicAuthUsers() {
    this(Optional.empty());
  }

  /** The users of each provider the group's routes require, by provider (sorted). */
  Map<String, List<Htpasswd.User>> read(List<GatewaySecret> secrets) {
    Map<String, List<Htpasswd.User>> users = new TreeMap<>();
    for (GatewaySecret secret : secrets) {
      if (secret instanceof GatewaySecret.BasicAuthUsersFile file) {
        String path = file.usersFile();
        users.put(
            file.provider(),
            lastGood.read(
                file.provider(),
                path,
                () -> Files.readAllLines(Path.of(path), StandardCharsets.UTF_8)));
      } else if (secret instanceof GatewaySecret.BasicAuthUsersKubernetesSecret u
          && store.isPresent()) {
        SecretStore fromStore = store.get();
        users.put(
            u.provider(),
            lastGood.read(
                u.provider(),
                "kubernetes-secret " + SecretCredentials.ref(u),
                () -> SecretCredentials.userLines(fromStore, u)));
      }
    }
    return users;
  }

  static RouteConfiguration withUsers(
      RouteConfiguration config, Map<String, List<Htpasswd.User>> users) {
    if (users.isEmpty()) {
      return config;
    }
    RouteConfiguration.Builder builder = config.toBuilder();
    for (VirtualHost.Builder host : builder.getVirtualHostsBuilderList()) {
      for (Route.Builder route : host.getRoutesBuilderList()) {
        for (var entry : Map.copyOf(route.getTypedPerFilterConfigMap()).entrySet()) {
          if (!entry.getKey().startsWith(FILTER_PREFIX)) {
            continue;
          }
          List<Htpasswd.User> all =
              users.getOrDefault(entry.getKey().substring(FILTER_PREFIX.length()), List.of());
          Set<String> listed = listed(route);
          String text =
              all.stream()
                  .filter(u -> listed.isEmpty() || listed.contains(u.name()))
                  .map(u -> u.line() + "\n")
                  .collect(Collectors.joining());
          try {
            BasicAuthPerRoute perRoute = entry.getValue().unpack(BasicAuthPerRoute.class);
            // No user left (an empty or unreadable file, no listed user in it): the compiled
            // comment stays, which Envoy accepts and which lets nobody in.
            if (!text.isEmpty()) {
              route.putTypedPerFilterConfig(
                  entry.getKey(),
                  Any.pack(
                      perRoute.toBuilder()
                          .setUsers(DataSource.newBuilder().setInlineString(text))
                          .build()));
            }
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("compiled basic_auth config does not parse", e);
          }
        }
      }
    }
    return builder.build();
  }

  private static Set<String> listed(Route.Builder route) {
    Struct metadata = route.getMetadata().getFilterMetadataMap().get(METADATA);
    if (metadata == null || !metadata.containsFields("users")) {
      return Set.of();
    }
    return metadata.getFieldsOrThrow("users").getListValue().getValuesList().stream()
        .map(Value::getStringValue)
        .collect(Collectors.toSet());
  }
}
