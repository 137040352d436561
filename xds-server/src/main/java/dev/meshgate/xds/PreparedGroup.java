package dev.meshgate.xds;

import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.compiler.ProxyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a group's snapshot that only a policy change alters, hashed once per policy, so an
 * endpoint change costs only the endpoint hashes. {@code endpoints} lists every EDS cluster's
 * endpoint selection; {@code identity} is the group's SPIFFE ID when it gets SDS secrets; {@code
 * tlsSecrets} the gateway TLS secrets its listeners reference.
 */
record PreparedGroup(
    String key,
    TypedResources<Cluster> clusters,
    TypedResources<Listener> listeners,
    TypedResources<RouteConfiguration> routes,
    List<ClusterEndpoints> endpoints,
    Optional<String> identity,
    List<GatewaySecret> tlsSecrets) {

  PreparedGroup {
    endpoints = List.copyOf(endpoints);
    tlsSecrets = List.copyOf(tlsSecrets);
  }

  PreparedGroup(
      String key,
      TypedResources<Cluster> clusters,
      TypedResources<Listener> listeners,
      TypedResources<RouteConfiguration> routes,
      List<ClusterEndpoints> endpoints,
      Optional<String> identity) {
    this(key, clusters, listeners, routes, endpoints, identity, List.of());
  }

  PreparedGroup(
      String key,
      TypedResources<Cluster> clusters,
      TypedResources<Listener> listeners,
      TypedResources<RouteConfiguration> routes,
      List<ClusterEndpoints> endpoints) {
    this(key, clusters, listeners, routes, endpoints, Optional.empty());
  }

  static PreparedGroup of(ProxyResources resources) {
    return new PreparedGroup(
        resources.group().key(),
        TypedResources.of(resources.clusters()),
        TypedResources.of(resources.listeners()),
        TypedResources.of(resources.routes()),
        resources.endpoints(),
        resources.identity(),
        resources.secrets());
  }

  /** Whether this group needs the endpoints of any of {@code services}. */
  boolean usesAny(Set<String> services) {
    return !services.isEmpty()
        && endpoints.stream().anyMatch(ce -> services.contains(ce.service()));
  }
}
