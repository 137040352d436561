package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ir.ClusterSettingsIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.SubsetIr;
import dev.meshgate.compiler.setting.ClusterSettings;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Cluster settings written below a service (issue 14): a subset's ({@code subset v2 where … {
 * circuit-breaker … }}) and a call's ({@code call orders -> catalog { circuit-breaker … }}). Each
 * statement replaces the one of the same kind above it whole: service, then subset, then the
 * caller's call ({@link ClusterSettingsIr#overriddenBy}).
 */
final class ClusterOverrides {
  private ClusterOverrides() {}

  /** A subset with the cluster settings it writes itself. */
  static SubsetIr subset(
      ServiceStmt.SubsetStmt stmt, SortedMap<String, String> selector, Protocol protocol) {
    return new SubsetIr(
        stmt.name().text(), selector, ClusterSettings.lower(stmt.cluster(), protocol));
  }

  /**
   * The settings of a caller's cluster towards {@code service}: the service's (and the subset's,
   * for {@code catalog.v2}), with the call's on top when the caller wrote a call to the service.
   */
  static ClusterSettingsIr ofCall(ServiceIr service, String cluster, Optional<CallDecl> call) {
    ClusterSettingsIr settings = service.clusterSettings(cluster);
    return call.filter(c -> !c.cluster().isEmpty())
        .map(c -> settings.overriddenBy(ClusterSettings.lower(c.cluster(), service.protocol())))
        .orElse(settings);
  }
}
