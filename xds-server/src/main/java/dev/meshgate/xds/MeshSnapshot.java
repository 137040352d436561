package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;

/**
 * A java-control-plane snapshot whose resources carry our content-hash versions. The library's own
 * factories version each resource by {@code Message.hashCode()}, which differs between processes,
 * so delta clients would re-download everything after a server restart.
 */
final class MeshSnapshot extends Snapshot {
  private final TypedResources<Cluster> typedClusters;
  private final TypedResources<ClusterLoadAssignment> typedEndpoints;
  private final TypedResources<Listener> typedListeners;
  private final TypedResources<RouteConfiguration> typedRoutes;
  private final TypedResources<Secret> typedSecrets;
  private final SnapshotResources<Cluster> clusters;
  private final SnapshotResources<ClusterLoadAssignment> endpoints;
  private final SnapshotResources<Listener> listeners;
  private final SnapshotResources<RouteConfiguration> routes;
  private final SnapshotResources<Secret> secrets;

  MeshSnapshot(
      TypedResources<Cluster> clusters,
      TypedResources<ClusterLoadAssignment> endpoints,
      TypedResources<Listener> listeners,
      TypedResources<RouteConfiguration> routes,
      TypedResources<Secret> secrets) {
    this.typedClusters = clusters;
    this.typedEndpoints = endpoints;
    this.typedListeners = listeners;
    this.typedRoutes = routes;
    this.typedSecrets = secrets;
    this.clusters = clusters.toSnapshotResources();
    this.endpoints = endpoints.toSnapshotResources();
    this.listeners = listeners.toSnapshotResources();
    this.routes = routes.toSnapshotResources();
    this.secrets = secrets.toSnapshotResources();
  }

  /**
   * This snapshot, still serving the routes, endpoints and secrets of {@code previous} that it no
   * longer has (see {@link TypedResources#retaining}); versions unchanged.
   */
  MeshSnapshot retaining(MeshSnapshot previous) {
    TypedResources<ClusterLoadAssignment> keptEndpoints =
        typedEndpoints.retaining(previous.typedEndpoints);
    TypedResources<RouteConfiguration> keptRoutes = typedRoutes.retaining(previous.typedRoutes);
    TypedResources<Secret> keptSecrets = typedSecrets.retaining(previous.typedSecrets);
    if (keptEndpoints == typedEndpoints
        && keptRoutes == typedRoutes
        && keptSecrets == typedSecrets) {
      // Nothing vanished (the usual publish): this very snapshot, not a copy whose five
      // SnapshotResources maps are built again and held beside the ones BuiltSnapshots keeps.
      return this;
    }
    return new MeshSnapshot(typedClusters, keptEndpoints, typedListeners, keptRoutes, keptSecrets);
  }

  @Override
  public SnapshotResources<Cluster> clusters() {
    return clusters;
  }

  @Override
  public SnapshotResources<ClusterLoadAssignment> endpoints() {
    return endpoints;
  }

  @Override
  public SnapshotResources<Listener> listeners() {
    return listeners;
  }

  @Override
  public SnapshotResources<RouteConfiguration> routes() {
    return routes;
  }

  @Override
  public SnapshotResources<Secret> secrets() {
    return secrets;
  }
}
