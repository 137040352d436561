package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ir.HostRewriteIr;
import java.util.Set;

/**
 * {@code rewrite host to-endpoint}: the upstream gets the hostname of the endpoint Envoy picked as
 * Host. Envoy: {@code auto_host_rewrite} in {@code translate/ForwardActions}; the hostname is the
 * EDS {@code Endpoint.hostname} (static {@code hostname "…"}, Consul node, Kubernetes pod). An
 * endpoint without one keeps the client's Host, so a static target missing one is warned about.
 * Goldens: {@code rewrite-host-endpoint/}.
 */
final class HostRewritesToEndpoint implements Setting<RouteStmt.HostRewriteToEndpoint> {

  @Override
  public Class<RouteStmt.HostRewriteToEndpoint> node() {
    return RouteStmt.HostRewriteToEndpoint.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.FORWARDING;
  }

  @Override
  public void check(RouteStmt.HostRewriteToEndpoint r, SettingChecks checks) {
    for (RouteStmt.To to : checks.all(RouteStmt.To.class)) {
      for (RouteStmt.Target target : to.targets()) {
        checks.staticEndpoints(target).stream()
            .filter(e -> e.hostname().isEmpty())
            .findFirst()
            .ifPresent(e -> warnWithout(r, target, e, checks));
      }
    }
  }

  private static void warnWithout(
      RouteStmt.HostRewriteToEndpoint r,
      RouteStmt.Target target,
      ServiceStmt.Endpoint endpoint,
      SettingChecks checks) {
    checks.warning(
        ENDPOINT_WITHOUT_HOSTNAME,
        r.span(),
        "rewrite host to-endpoint: endpoint "
            + endpoint.host()
            + ":"
            + endpoint.port().text()
            + " of service "
            + target.service().text()
            + " ("
            + checks.at(endpoint.span())
            + ") has no hostname, so requests it gets keep the client's Host; add"
            + " `hostname \"…\"` to it");
  }

  @Override
  public void lower(RouteStmt.HostRewriteToEndpoint r, RouteParts parts) {
    parts.hostRewrite(new HostRewriteIr.ToEndpoint());
  }
}
