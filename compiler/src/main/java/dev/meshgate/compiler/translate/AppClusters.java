package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.SidecarIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.DiscoveryType;

/**
 * {@code <svc>.app}: the local application behind a sidecar. STATIC, with its one address inline:
 * it is part of the policy, not of the catalog, so it needs no EDS.
 */
final class AppClusters {
  private AppClusters() {}

  static Cluster cluster(SidecarIr sidecar) {
    Cluster.Builder cluster =
        Clusters.oneEndpoint(
            sidecar.appCluster(),
            DiscoveryType.STATIC,
            Listeners.address(sidecar.app().address(), sidecar.app().port()));
    Clusters.protocolOptions(sidecar.protocol(), cluster);
    return cluster.build();
  }
}
