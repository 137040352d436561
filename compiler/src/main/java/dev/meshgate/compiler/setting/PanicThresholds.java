package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.ClusterStmt;
import java.util.Optional;

/**
 * {@code panic-threshold 50%}: below this share of healthy endpoints, every caller's Envoy sends
 * traffic to all endpoints, healthy or not (0% never does).
 */
final class PanicThresholds implements ClusterSetting<ClusterStmt.PanicThreshold> {

  @Override
  public Class<ClusterStmt.PanicThreshold> node() {
    return ClusterStmt.PanicThreshold.class;
  }

  @Override
  public void check(ClusterStmt.PanicThreshold stmt, ClusterChecks checks) {
    if (stmt.percent().value() > 100) {
      checks.error(
          SettingCodes.CLUSTER_VALUE_RANGE,
          stmt.percent().span(),
          "panic-threshold "
              + stmt.percent().text()
              + "% is out of range; it takes 0% (never panic) to 100%");
    }
  }

  @Override
  public void lower(ClusterStmt.PanicThreshold stmt, ClusterParts parts) {
    parts.panicThreshold = Optional.of((int) stmt.percent().value());
  }
}
