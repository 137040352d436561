package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.ClusterIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;

/**
 * A cluster's settings (issue 14) onto its Envoy Cluster, one translator per feature; a new cluster
 * setting adds its call here.
 */
final class ClusterSettings {
  private ClusterSettings() {}

  static void apply(ClusterIr cluster, Cluster.Builder envoy) {
    var settings = cluster.settings();
    settings.circuitBreaker().ifPresent(cb -> CircuitBreakers.apply(cb, envoy));
    settings.outlierDetection().ifPresent(od -> OutlierDetections.apply(od, envoy));
    settings.healthCheck().ifPresent(hc -> HealthChecks.apply(hc, envoy));
    settings.panicThreshold().ifPresent(p -> PanicThresholds.apply(p, envoy));
    LoadBalancers.apply(settings.loadBalancer(), settings.slowStart(), envoy);
  }
}
