package dev.meshgate.compiler.translate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.type.v3.Percent;

/** {@code panic-threshold 50%} → Cluster.common_lb_config.healthy_panic_threshold. */
final class PanicThresholds {
  private PanicThresholds() {}

  static void apply(int percent, Cluster.Builder envoy) {
    envoy
        .getCommonLbConfigBuilder()
        .setHealthyPanicThreshold(Percent.newBuilder().setValue(percent));
  }
}
