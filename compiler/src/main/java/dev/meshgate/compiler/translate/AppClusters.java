package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.SidecarIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.DiscoveryType;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

/**
 * {@code <svc>.app}: the local application behind a sidecar. STATIC, with its one address inline:
 * it is part of the policy, not of the catalog, so it needs no EDS.
 */
final class AppClusters {
  private AppClusters() {}

  static Cluster cluster(SidecarIr sidecar) {
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(sidecar.appCluster())
            .setType(DiscoveryType.STATIC)
            .setConnectTimeout(Clusters.CONNECT_TIMEOUT)
            .setLoadAssignment(
                ClusterLoadAssignment.newBuilder()
                    .setClusterName(sidecar.appCluster())
                    .addEndpoints(
                        LocalityLbEndpoints.newBuilder()
                            .addLbEndpoints(
                                LbEndpoint.newBuilder()
                                    .setEndpoint(
                                        Endpoint.newBuilder()
                                            .setAddress(
                                                Listeners.address(
                                                    sidecar.app().address(),
                                                    sidecar.app().port()))))));
    Clusters.protocolOptions(sidecar.protocol(), cluster);
    return cluster.build();
  }
}
