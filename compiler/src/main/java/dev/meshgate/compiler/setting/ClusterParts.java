package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ir.CircuitBreakerIr;
import dev.meshgate.compiler.ir.ClusterSettingsIr;
import dev.meshgate.compiler.ir.HealthCheckIr;
import dev.meshgate.compiler.ir.LoadBalancerIr;
import dev.meshgate.compiler.ir.OutlierDetectionIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.SlowStartIr;
import java.util.Optional;

/**
 * What a service's cluster settings lower to, gathered before {@link ClusterSettingsIr} is built; a
 * new cluster setting adds its field here and in {@link #toIr}.
 */
public final class ClusterParts {
  private final Protocol protocol;
  Optional<CircuitBreakerIr> circuitBreaker = Optional.empty();
  Optional<OutlierDetectionIr> outlierDetection = Optional.empty();
  Optional<HealthCheckIr> healthCheck = Optional.empty();
  Optional<Integer> panicThreshold = Optional.empty();
  Optional<LoadBalancerIr> loadBalancer = Optional.empty();
  Optional<SlowStartIr> slowStart = Optional.empty();

  ClusterParts(Protocol protocol) {
    this.protocol = protocol;
  }

  /** The service's protocol. */
  Protocol protocol() {
    return protocol;
  }

  ClusterSettingsIr toIr() {
    return new ClusterSettingsIr(
        circuitBreaker, outlierDetection, healthCheck, panicThreshold, loadBalancer, slowStart);
  }
}
