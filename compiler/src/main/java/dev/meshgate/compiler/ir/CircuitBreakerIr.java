package dev.meshgate.compiler.ir;

import java.util.Optional;

/**
 * {@code circuit-breaker}: Envoy's circuit_breakers thresholds at default priority, defaults
 * applied (Envoy's own: 1024, 1024, 1024, 3). Past a limit Envoy answers 503 at once with {@code
 * x-envoy-overloaded: true} (response flag UO).
 */
public record CircuitBreakerIr(
    long maxConnections,
    long maxPending,
    long maxRequests,
    long maxRetries,
    Optional<RetryBudgetIr> retryBudget) {

  /**
   * {@code retry-budget 20% min-retries 3}: retries in flight limited to a share of the active
   * requests (never fewer than {@code minRetries}); replaces {@code maxRetries}.
   */
  public record RetryBudgetIr(int percent, long minRetries) {}
}
