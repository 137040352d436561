package dev.meshgate.compiler;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;

/**
 * Everything one proxy group is served, except endpoints: those come from the catalog at
 * serve time, as {@code endpoints} describes. Lists are sorted by resource name.
 */
public record ProxyResources(
    ProxyGroup group,
    List<Listener> listeners,
    List<RouteConfiguration> routes,
    List<Cluster> clusters,
    List<ClusterEndpoints> endpoints) {
  public ProxyResources {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
  }
}
