package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.List;
import java.util.Set;

/**
 * A cluster setting ({@code circuit-breaker}, {@code outlier-detection}, …) written on a gateway
 * route, host or gateway: refused (MG382). A gateway has one Envoy cluster per service or subset,
 * shared by every route that sends traffic there, so a breaker "on a route" would either change the
 * other routes' too or need a cluster per route, whose limits and ejections would then be counted
 * apart from the service's. Meshgate keeps one cluster per target and says where the setting goes
 * instead: the service (every caller), a subset the route targets, or a call (one caller's
 * sidecar).
 */
final class RouteClusterSettings implements Setting<RouteStmt.ClusterSetting> {

  @Override
  public Class<RouteStmt.ClusterSetting> node() {
    return RouteStmt.ClusterSetting.class;
  }

  @Override
  public Set<Attachment> attachments() {
    // Accepted by the grammar on these places so that the checker can explain; never lowered.
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.REPEATABLE;
  }

  @Override
  public void check(RouteStmt.ClusterSetting stmt, SettingChecks checks) {
    List<RouteStmt.Target> targets =
        checks.first(RouteStmt.To.class).map(RouteStmt.To::targets).orElse(List.of());
    String service = targets.isEmpty() ? "SERVICE" : targets.getFirst().service().text();
    String subset =
        targets.isEmpty() ? "NAME" : targets.getFirst().subset().map(s -> s.text()).orElse("NAME");
    checks.error(
        SettingCodes.CLUSTER_SETTING_ON_ROUTE,
        stmt.span(),
        "`"
            + stmt.keyword()
            + "` cannot be written on a "
            + checks.where().keyword()
            + ": the gateway has one cluster per service or subset, shared by every route to it;"
            + " write it on "
            + (targets.isEmpty() ? "the service" : "`service " + service + "`")
            + " (every caller), or on a subset and route there (`subset "
            + subset
            + " where … { "
            + stmt.keyword()
            + " … }`, `to "
            + service
            + "."
            + subset
            + "`)");
  }

  @Override
  public void lower(RouteStmt.ClusterSetting stmt, RouteParts parts) {
    // never reached: the checker refuses every such statement
  }
}
