package dev.meshgate.xds;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a group is served beyond its compiled resources, read or issued at serve time: the
 * credentials in its routes ({@link RouteCredentials}: api keys, basic-auth users) and its SDS
 * secrets (its workload identity, {@link IdentitySecrets}; its gateway TLS certificates, {@link
 * GatewayTlsSecrets}). Kept apart from {@link Publisher}, which decides when a group is rebuilt,
 * not what goes into it. Confined to the publisher thread.
 */
final class ServedCredentials {
  private final IdentitySecrets identity;
  private final Optional<GatewayTlsSecrets> tls;
  private final RouteCredentials routes;

  ServedCredentials(
      IdentitySecrets identity,
      Optional<GatewayTlsSecrets> tls,
      Optional<dev.meshgate.discovery.SecretStore> store) {
    this.identity = identity;
    this.tls = tls;
    this.routes = new RouteCredentials(store);
  }

  /** {@code group} with the credentials its routes need (re-read from their files). */
  PreparedGroup routes(PreparedGroup group) {
    return routes.serve(group);
  }

  /** The group's SDS secrets now: its identity, then its gateway TLS secrets. */
  TypedResources<Secret> secrets(PreparedGroup group) {
    TypedResources<Secret> all = identity.secrets(group.key(), group.identity());
    if (group.tlsSecrets().isEmpty() || tls.isEmpty()) {
      return all;
    }
    List<Secret> merged = new ArrayList<>();
    all.byName().values().forEach(v -> merged.add(v.resource()));
    merged.addAll(tls.get().secrets(group.key(), group.tlsSecrets()));
    return TypedResources.of(merged);
  }

  /** When the group's earliest issued certificate (identity or development TLS) is due. */
  Optional<Instant> rotateAt(String group) {
    return Stream.concat(
            identity.rotateAt(group).stream(), tls.flatMap(t -> t.rotateAt(group)).stream())
        .min(Instant::compareTo);
  }

  /** Whether a development TLS certificate of the group is due before or without its identity. */
  boolean tlsRotates(String group) {
    return tls.flatMap(t -> t.rotateAt(group)).isPresent();
  }

  void retain(Set<String> groups) {
    identity.retain(groups);
    tls.ifPresent(t -> t.retain(groups));
    routes.retain(groups);
  }
}
