package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ir.CircuitBreakerIr;
import dev.meshgate.compiler.setting.ClusterFields.Spec;
import java.util.List;
import java.util.Optional;

/**
 * {@code circuit-breaker { max-connections 100 max-pending 10 max-requests 200 max-retries 3
 * retry-budget 20% min-retries 3 }}: how much every caller's Envoy sends the service at once; past
 * a limit the request fails at once with 503 and {@code x-envoy-overloaded}.
 */
final class CircuitBreakers implements ClusterSetting<ClusterStmt.CircuitBreaker> {
  /** Envoy's defaults for a threshold left out. */
  static final long DEFAULT_LIMIT = 1024;

  static final long DEFAULT_RETRIES = 3;
  static final int DEFAULT_BUDGET_PERCENT = 20;
  static final long DEFAULT_MIN_RETRIES = 3;

  static final List<Spec> FIELDS =
      List.of(
          Spec.count("max-connections", 1),
          Spec.count("max-pending", 0),
          Spec.count("max-requests", 1),
          Spec.count("max-retries", 0),
          Spec.percent("retry-budget", 0),
          Spec.count("min-retries", 0));

  @Override
  public Class<ClusterStmt.CircuitBreaker> node() {
    return ClusterStmt.CircuitBreaker.class;
  }

  @Override
  public void check(ClusterStmt.CircuitBreaker stmt, ClusterChecks checks) {
    ClusterFields.check(stmt.keyword(), stmt.fields(), FIELDS, checks);
    ClusterFields fields = ClusterFields.of(stmt.fields());
    Optional<ClusterStmt.Field> budget = fields.field("retry-budget");
    fields
        .field("min-retries")
        .filter(f -> budget.isEmpty())
        .ifPresent(
            f ->
                checks.error(
                    SettingCodes.MIN_RETRIES_WITHOUT_BUDGET,
                    f.name().span(),
                    "min-retries is the floor of a retry budget and means nothing without one; add"
                        + " `retry-budget 20%` or remove min-retries"));
    fields
        .field("max-retries")
        .filter(f -> budget.isPresent())
        .ifPresent(
            f ->
                checks.warning(
                    SettingCodes.MAX_RETRIES_WITH_BUDGET,
                    f.name().span(),
                    "max-retries is ignored: with retry-budget, Envoy limits retries in flight by the"
                        + " budget alone; remove one of them"));
  }

  @Override
  public void lower(ClusterStmt.CircuitBreaker stmt, ClusterParts parts) {
    ClusterFields fields = ClusterFields.of(stmt.fields());
    Optional<CircuitBreakerIr.RetryBudgetIr> budget =
        fields
            .field("retry-budget")
            .map(
                f ->
                    new CircuitBreakerIr.RetryBudgetIr(
                        fields.percent("retry-budget", DEFAULT_BUDGET_PERCENT),
                        fields.count("min-retries", DEFAULT_MIN_RETRIES)));
    parts.circuitBreaker =
        Optional.of(
            new CircuitBreakerIr(
                fields.count("max-connections", DEFAULT_LIMIT),
                fields.count("max-pending", DEFAULT_LIMIT),
                fields.count("max-requests", DEFAULT_LIMIT),
                fields.count("max-retries", DEFAULT_RETRIES),
                budget));
  }
}
