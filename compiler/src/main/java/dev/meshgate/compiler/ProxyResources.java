package dev.meshgate.compiler;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one proxy group is served, except endpoints and secrets: endpoints come from the
 * catalog at serve time, as {@code endpoints} describes; the SDS secrets {@code meshgate.identity}
 * and {@code meshgate.trust-bundle} that listeners and clusters reference are issued by the server
 * for {@code identity}, the group's SPIFFE ID (present for sidecars, and for gateways whenever the
 * policy has services in the mesh). {@code secrets}: the gateway's own TLS secrets (certificates,
 * client CA bundles), which the server reads or issues. Lists are sorted by resource name.
 */
public record ProxyResources(
    ProxyGroup group,
    List<Listener> listeners,
    List<RouteConfiguration> routes,
    List<Cluster> clusters,
    List<ClusterEndpoints> endpoints,
    Optional<String> identity,
    List<GatewaySecret> secrets) {
  public ProxyResources {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(identity, "identity");
    secrets = List.copyOf(secrets);
  }

  /** A group whose listeners reference no secrets besides its mesh identity. */
  public ProxyResources(
      ProxyGroup group,
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      List<Cluster> clusters,
      List<ClusterEndpoints> endpoints,
      Optional<String> identity) {
    this(group, listeners, routes, clusters, endpoints, identity, List.of());
  }

  /** A group without a mesh identity. */
  public ProxyResources(
      ProxyGroup group,
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      List<Cluster> clusters,
      List<ClusterEndpoints> endpoints) {
    this(group, listeners, routes, clusters, endpoints, Optional.empty());
  }
}
