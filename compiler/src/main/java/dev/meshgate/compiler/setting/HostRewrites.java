package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code rewrite host "api.internal"}: the Host (authority) header the upstream receives. Envoy:
 * {@code host_rewrite_literal} in {@code translate/ForwardActions} (a route-level rewrite: Envoy
 * refuses Host in {@code request_headers_to_add}); not simulated; goldens: {@code rewrite/}.
 */
final class HostRewrites implements Setting<RouteStmt.HostRewrite> {
  /** A DNS name or IPv4 address, with an optional port. */
  private static final Pattern HOST =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?");

  @Override
  public Class<RouteStmt.HostRewrite> node() {
    return RouteStmt.HostRewrite.class;
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
  public void check(RouteStmt.HostRewrite r, SettingChecks checks) {
    if (!HOST.matcher(r.host().value()).matches()) {
      checks.error(
          INVALID_REWRITE,
          r.host().span(),
          "rewrite host \""
              + r.host().value()
              + "\" is not a host name; write a name like \"api.internal\" (a port may follow,"
              + " like \"api.internal:8080\"), without scheme or path");
    }
  }

  @Override
  public void lower(RouteStmt.HostRewrite r, RouteParts parts) {
    parts.hostRewrite(new dev.meshgate.compiler.ir.HostRewriteIr.Literal(r.host().value()));
  }
}
