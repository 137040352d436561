package dev.meshgate.xds;

import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.discovery.SecretStore;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuthPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.Credential;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * api keys (issue 12): reads the keys of each {@code api-keys} provider, for {@link
 * RouteCredentials} to put into the routes a gateway is served. The compiled routes turn the
 * provider's filter on with a per-route config that has no credentials (the compiled output names
 * the keys file only); here, at serve time, the file's keys are added to those per-route configs,
 * so only what Envoy receives holds them (the admin API redacts them, see {@link Redaction}). A
 * changed file is an RDS update: the next request on every connection sees it, with no restart and
 * no listener drain.
 *
 * <p>Keys file: one {@code client key} pair per line (whitespace between), {@code #} comments and
 * blank lines ignored; a client may have several keys (rotation). A file that cannot be read or is
 * malformed (a bad line, a key given twice) keeps the last good keys in service, logged once; one
 * that never could be read leaves the provider with no key, so its routes answer 401 (fail closed).
 * Log lines name files and line numbers, never keys. Confined to the publisher thread.
 */
final class ApiKeyCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyCredentials.class);

  static final String FILTER_PREFIX = "envoy.filters.http.api_key_auth.";

  private static final String CLIENT = "[A-Za-z0-9._@-]+";

  private final LastGoodCredentials<Credential> keys =
      new LastGoodCredentials<>(
          LOG,
          ApiKeyCredentials::parse,
          new LastGoodCredentials.Wording(
              "api keys of",
              "keys",
              "keeping the last good keys",
              "no key is accepted until it can be read"));

  /** Where {@code keys kubernetes-secret} is read; empty without --kubernetes. */
  private final Optional<SecretStore> store;

  ApiKeyCredentials(Optional<SecretStore> store) {
    this.store = store;
  }

  ApiKeyCredentials() {
    this(Optional.empty());
  }

  /** The keys of each provider the group's routes require, by provider (sorted). */
  Map<String, List<Credential>> read(List<GatewaySecret> secrets) {
    Map<String, List<Credential>> byProvider = new TreeMap<>();
    for (GatewaySecret secret : secrets) {
      if (secret instanceof GatewaySecret.ApiKeysFile file) {
        String path = file.keysFile();
        byProvider.put(
            file.provider(),
            keys.read(
                file.provider(),
                path,
                () -> Files.readAllLines(Path.of(path), StandardCharsets.UTF_8)));
      } else if (secret instanceof GatewaySecret.ApiKeysKubernetesSecret k && store.isPresent()) {
        SecretStore fromStore = store.get();
        byProvider.put(
            k.provider(),
            keys.read(
                k.provider(),
                "kubernetes-secret " + SecretCredentials.ref(k),
                () -> SecretCredentials.keyLines(fromStore, k)));
      }
    }
    return byProvider;
  }

  static RouteConfiguration withKeys(
      RouteConfiguration config, Map<String, List<Credential>> keys) {
    if (keys.isEmpty()) {
      return config;
    }
    RouteConfiguration.Builder builder = config.toBuilder();
    for (VirtualHost.Builder host : builder.getVirtualHostsBuilderList()) {
      for (Route.Builder route : host.getRoutesBuilderList()) {
        for (var entry : Map.copyOf(route.getTypedPerFilterConfigMap()).entrySet()) {
          if (!entry.getKey().startsWith(FILTER_PREFIX)) {
            continue;
          }
          List<Credential> credentials =
              keys.getOrDefault(entry.getKey().substring(FILTER_PREFIX.length()), List.of());
          try {
            ApiKeyAuthPerRoute perRoute = entry.getValue().unpack(ApiKeyAuthPerRoute.class);
            route.putTypedPerFilterConfig(
                entry.getKey(),
                com.google.protobuf.Any.pack(
                    perRoute.toBuilder()
                        .clearCredentials()
                        .addAllCredentials(credentials)
                        .build()));
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("compiled api_key_auth config does not parse", e);
          }
        }
      }
    }
    return builder.build();
  }

  /** The file's keys; a malformed line says where, never what. */
  static List<Credential> parse(String path, List<String> lines) {
    List<Credential> credentials = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2 || !parts[0].matches(CLIENT)) {
        throw new IllegalArgumentException(
            path + " line " + (i + 1) + " is not `client key` (client: letters, digits, . _ @ -)");
      }
      if (!seen.add(parts[1])) {
        throw new IllegalArgumentException(
            path + " line " + (i + 1) + " repeats a key of an earlier line");
      }
      credentials.add(Credential.newBuilder().setClient(parts[0]).setKey(parts[1]).build());
    }
    return List.copyOf(credentials);
  }
}
