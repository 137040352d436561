package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ir.SlowStartIr;
import dev.meshgate.compiler.setting.ClusterFields.Spec;
import java.util.List;
import java.util.Optional;

/**
 * {@code slow-start 30s { min-weight 10% }}: every caller's Envoy gives an endpoint that just
 * joined (or came back healthy) a share of traffic that grows linearly to full over the window, so
 * a cold instance is not flooded. Envoy ramps up only with round-robin and least-request.
 */
final class SlowStarts implements ClusterSetting<ClusterStmt.SlowStart> {
  /** Envoy's default floor of a ramping endpoint's weight. */
  static final int DEFAULT_MIN_WEIGHT = 10;

  private static final List<Spec> FIELDS = List.of(Spec.percent("min-weight", 1));

  @Override
  public Class<ClusterStmt.SlowStart> node() {
    return ClusterStmt.SlowStart.class;
  }

  @Override
  public void check(ClusterStmt.SlowStart stmt, ClusterChecks checks) {
    checks.duration(stmt.window());
    ClusterFields.check(stmt.keyword(), stmt.fields(), FIELDS, checks);
    checks
        .first(ClusterStmt.LoadBalancer.class)
        .flatMap(LoadBalancers::kind)
        .filter(kind -> !kind.rampsUp())
        .ifPresent(
            kind ->
                checks.error(
                    SettingCodes.SLOW_START_WITHOUT_RAMP,
                    stmt.span(),
                    "service \""
                        + checks.service()
                        + "\" uses load-balancer "
                        + kind.word
                        + ", which Envoy cannot ramp up; slow-start needs round-robin or"
                        + " least-request"));
  }

  @Override
  public void lower(ClusterStmt.SlowStart stmt, ClusterParts parts) {
    stmt.window()
        .value()
        .ifPresent(
            window ->
                parts.slowStart =
                    Optional.of(
                        new SlowStartIr(
                            window,
                            ClusterFields.of(stmt.fields())
                                .percent("min-weight", DEFAULT_MIN_WEIGHT))));
  }
}
