package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteAuth;
import java.util.Set;

/**
 * oidc login (issue 12): {@code require oidc "provider"} on a gateway, a host or a route (the most
 * specific wins; {@code require none} lifts it, see {@link JwtRequirements}). The provider is
 * resolved by {@code check/OidcChecks}, which sees the gateway. Envoy: {@code translate/Oidc} (the
 * oauth2 filter, off by default, switched on per route); goldens: {@code oidc/}.
 */
final class OidcRequirements implements Setting<RouteAuth.RequireOidc> {
  @Override
  public Class<RouteAuth.RequireOidc> node() {
    return RouteAuth.RequireOidc.class;
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
  public void check(RouteAuth.RequireOidc require, SettingChecks checks) {}

  @Override
  public void lower(RouteAuth.RequireOidc require, RouteParts parts) {
    parts.oidcRequirement(java.util.Optional.of(require.provider().value()));
  }
}
