package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ir.OutlierDetectionIr;
import dev.meshgate.compiler.setting.ClusterFields.Spec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code outlier-detection { consecutive-5xx 5 interval 10s base-ejection 30s max-ejected 50% }}:
 * passive health. Every caller's Envoy ejects an endpoint that fails too often, for {@code
 * base-ejection} times the number of its ejections.
 */
final class OutlierDetections implements ClusterSetting<ClusterStmt.OutlierDetection> {
  static final List<Spec> FIELDS =
      List.of(
          Spec.count("consecutive-5xx", 0),
          Spec.count("consecutive-gateway-errors", 0),
          Spec.count("consecutive-local-failures", 0),
          Spec.duration("interval"),
          Spec.duration("base-ejection"),
          Spec.percent("max-ejected", 1),
          Spec.percent("success-rate", 0),
          Spec.count("success-rate-min-hosts", 1),
          Spec.count("success-rate-min-requests", 1));

  @Override
  public Class<ClusterStmt.OutlierDetection> node() {
    return ClusterStmt.OutlierDetection.class;
  }

  @Override
  public void check(ClusterStmt.OutlierDetection stmt, ClusterChecks checks) {
    ClusterFields.check(stmt.keyword(), stmt.fields(), FIELDS, checks);
  }

  @Override
  public void lower(ClusterStmt.OutlierDetection stmt, ClusterParts parts) {
    ClusterFields f = ClusterFields.of(stmt.fields());
    parts.outlierDetection =
        Optional.of(
            new OutlierDetectionIr(
                f.count("consecutive-5xx", 5),
                f.count("consecutive-gateway-errors", 0),
                f.count("consecutive-local-failures", 0),
                f.duration("interval", Duration.ofSeconds(10)),
                f.duration("base-ejection", Duration.ofSeconds(30)),
                f.percent("max-ejected", 10),
                f.percent("success-rate", 100),
                f.count("success-rate-min-hosts", 5),
                f.count("success-rate-min-requests", 100)));
  }
}
