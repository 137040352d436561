package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.RouteActionIr;
import java.util.Set;

/**
 * {@code rewrite prefix "/"} (the prefix the route matched, Gateway API ReplacePrefixMatch) and
 * {@code rewrite path "/x"} (the whole path). Envoy: {@code translate/PathRewrites} (a regex
 * rewrite); simulator: {@code simulate/GatewayRouting}; goldens: {@code rewrite-path/}.
 */
final class PathRewrites implements Setting<RouteStmt.PathRewrite> {
  @Override
  public Class<RouteStmt.PathRewrite> node() {
    return RouteStmt.PathRewrite.class;
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
  public void check(RouteStmt.PathRewrite r, SettingChecks checks) {
    String what = r.wholePath() ? "rewrite path" : "rewrite prefix";
    if (NewPaths.valid(what, r.value(), checks) && !r.wholePath()) {
      NewPaths.needsPrefixRoute(what, r.value(), checks);
    }
  }

  @Override
  public void lower(RouteStmt.PathRewrite r, RouteParts parts) {
    parts.rewrite(
        r.wholePath()
            ? new RouteActionIr.ReplacePathIr(r.value().value())
            : new RouteActionIr.ReplacePrefixIr(r.value().value()));
  }
}
