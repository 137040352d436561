package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.Set;

/**
 * oidc login (issue 12): {@code require oidc "provider"} on a gateway, a host or a route (the most
 * specific wins; {@code require none} lifts it, see {@link JwtRequirements}). The provider is
 * resolved by {@code check/OidcChecks}, which sees the gateway. Envoy: {@code translate/Oidc} (the
 * oauth2 filter, off by default, switched on per route); goldens: {@code oidc/}.
 */
final class OidcRequirements implements Setting<RouteStmt.RequireOidc> {
  @Override
  public Class<RouteStmt.RequireOidc> node() {
    return RouteStmt.RequireOidc.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.ONCE;
  }

  @Override
  public void check(RouteStmt.RequireOidc require, SettingChecks checks) {}

  @Override
  public void lower(RouteStmt.RequireOidc require, RouteParts parts) {
    parts.oidcRequirement(java.util.Optional.of(require.provider().value()));
  }
}
