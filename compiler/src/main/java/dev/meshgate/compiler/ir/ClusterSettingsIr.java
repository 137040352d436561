package dev.meshgate.compiler.ir;

import java.util.Optional;

/**
 * The cluster settings of a service (issue 14), the default for every caller: each present value
 * becomes a field of every cluster towards the service and its subsets. Built by {@code
 * setting.ClusterParts}; a new cluster setting adds its component here.
 *
 * @param panicThreshold percent of healthy endpoints below which Envoy spreads traffic over all of
 *     them (Envoy's common_lb_config.healthy_panic_threshold)
 * @param loadBalancer how endpoints are picked (Envoy's default: round robin)
 * @param slowStart how new endpoints ramp up (none by default)
 */
public record ClusterSettingsIr(
    Optional<CircuitBreakerIr> circuitBreaker,
    Optional<OutlierDetectionIr> outlierDetection,
    Optional<HealthCheckIr> healthCheck,
    Optional<Integer> panicThreshold,
    Optional<LoadBalancerIr> loadBalancer,
    Optional<SlowStartIr> slowStart) {

  /** No cluster setting written: Envoy's defaults. */
  public static final ClusterSettingsIr NONE =
      new ClusterSettingsIr(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * These settings with {@code over}'s written on top, statement by statement: each setting {@code
   * over} has replaces this one's whole (a subset's or a call's {@code circuit-breaker} is the
   * breaker, not a patch of the service's), the others stay.
   */
  public ClusterSettingsIr overriddenBy(ClusterSettingsIr over) {
    return new ClusterSettingsIr(
        over.circuitBreaker.or(() -> circuitBreaker),
        over.outlierDetection.or(() -> outlierDetection),
        over.healthCheck.or(() -> healthCheck),
        over.panicThreshold.or(() -> panicThreshold),
        over.loadBalancer.or(() -> loadBalancer),
        over.slowStart.or(() -> slowStart));
  }
}
