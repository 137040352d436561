package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.StringLit;
import java.util.List;
import java.util.Set;

/**
 * jwt (issue 12): {@code require jwt "provider" [optional]} / {@code require none} on a gateway, a
 * host or a route (the most specific wins). The provider is resolved by {@code check/JwtChecks},
 * which sees the gateway. Envoy: {@code translate/Jwt} (jwt_authn's requirement map and per-route
 * {@code requirement_name}); simulated (401 without a token); goldens: {@code jwt/}.
 */
final class JwtRequirements implements Setting<RouteAuth.RequireJwt> {
  @Override
  public Class<RouteAuth.RequireJwt> node() {
    return RouteAuth.RequireJwt.class;
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
  public void check(RouteAuth.RequireJwt require, SettingChecks checks) {}

  @Override
  public void lower(RouteAuth.RequireJwt require, RouteParts parts) {
    parts.jwtRequirement(require.provider().map(StringLit::value), require.optional());
    // `require none` makes a route public: it also lifts api-key (issue 12) and OIDC login.
    if (require.none()) {
      parts.apiKey(new dev.meshgate.compiler.ir.ApiKeyIr(java.util.Optional.empty(), List.of()));
      parts.oidcRequirement(java.util.Optional.empty());
    }
  }
}
