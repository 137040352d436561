package dev.meshgate.compiler.translate;

import com.google.protobuf.UInt32Value;
import dev.meshgate.compiler.ir.CircuitBreakerIr;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds.RetryBudget;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.type.v3.Percent;

/**
 * {@code circuit-breaker} → Cluster.circuit_breakers, one threshold at default priority, every
 * limit written out. Past a limit Envoy answers 503 at once with {@code x-envoy-overloaded: true}
 * and the response flag UO in the access log.
 */
final class CircuitBreakers {
  private CircuitBreakers() {}

  static void apply(CircuitBreakerIr cb, Cluster.Builder envoy) {
    Thresholds.Builder t =
        Thresholds.newBuilder()
            .setPriority(RoutingPriority.DEFAULT)
            .setMaxConnections(uint32(cb.maxConnections()))
            .setMaxPendingRequests(uint32(cb.maxPending()))
            .setMaxRequests(uint32(cb.maxRequests()));
    // With a retry budget Envoy ignores max_retries: write only the one that counts.
    if (cb.retryBudget().isEmpty()) {
      t.setMaxRetries(uint32(cb.maxRetries()));
    }
    cb.retryBudget()
        .ifPresent(
            b ->
                t.setRetryBudget(
                    RetryBudget.newBuilder()
                        .setBudgetPercent(Percent.newBuilder().setValue(b.percent()))
                        .setMinRetryConcurrency(uint32(b.minRetries()))));
    envoy.setCircuitBreakers(
        io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.newBuilder().addThresholds(t));
  }

  static UInt32Value uint32(long value) {
    return UInt32Value.of((int) value);
  }
}
