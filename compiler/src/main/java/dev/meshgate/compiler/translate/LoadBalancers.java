package dev.meshgate.compiler.translate;

import static dev.meshgate.compiler.translate.CircuitBreakers.uint32;

import dev.meshgate.compiler.ir.LoadBalancerIr;
import dev.meshgate.compiler.ir.SlowStartIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.Optional;

/**
 * {@code load-balancer …} → Cluster.lb_policy and its config; {@code slow-start} → the
 * slow_start_config of round-robin (Envoy's default policy, when none is written) or least-request.
 * Without either nothing is written, so a cluster without them stays as before (Envoy's round
 * robin).
 */
final class LoadBalancers {
  private LoadBalancers() {}

  static void apply(
      Optional<LoadBalancerIr> lb, Optional<SlowStartIr> slowStart, Cluster.Builder envoy) {
    LoadBalancerIr.Kind kind = lb.map(LoadBalancerIr::kind).orElse(LoadBalancerIr.Kind.ROUND_ROBIN);
    lb.ifPresent(l -> policy(l, envoy));
    slowStart.ifPresent(
        w -> {
          Cluster.SlowStartConfig config =
              Cluster.SlowStartConfig.newBuilder()
                  .setSlowStartWindow(ProtoDurations.of(w.window()))
                  .setMinWeightPercent(Percent.newBuilder().setValue(w.minWeightPercent()))
                  .build();
          switch (kind) {
            case ROUND_ROBIN -> envoy.getRoundRobinLbConfigBuilder().setSlowStartConfig(config);
            case LEAST_REQUEST -> envoy.getLeastRequestLbConfigBuilder().setSlowStartConfig(config);
            case RANDOM, RING_HASH, MAGLEV -> {} // the checker reported it (MG357)
          }
        });
  }

  private static void policy(LoadBalancerIr lb, Cluster.Builder envoy) {
    switch (lb.kind()) {
      case ROUND_ROBIN -> envoy.setLbPolicy(LbPolicy.ROUND_ROBIN);
      case RANDOM -> envoy.setLbPolicy(LbPolicy.RANDOM);
      case MAGLEV -> envoy.setLbPolicy(LbPolicy.MAGLEV);
      case LEAST_REQUEST -> {
        envoy.setLbPolicy(LbPolicy.LEAST_REQUEST);
        envoy.getLeastRequestLbConfigBuilder().setChoiceCount(uint32(lb.choiceCount()));
      }
      case RING_HASH -> {
        envoy.setLbPolicy(LbPolicy.RING_HASH);
        envoy
            .getRingHashLbConfigBuilder()
            .setMinimumRingSize(
                com.google.protobuf.UInt64Value.newBuilder().setValue(lb.minRingSize()))
            .setMaximumRingSize(
                com.google.protobuf.UInt64Value.newBuilder().setValue(lb.maxRingSize()));
      }
    }
  }
}
