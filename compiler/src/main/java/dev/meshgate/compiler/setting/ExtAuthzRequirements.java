package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.EXT_AUTHZ_OFF_WORD;

import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.StringLit;
import java.util.Set;

/**
 * external authorization (issue 12): {@code require ext-authz "name"} / {@code ext-authz off} on a
 * gateway, a host or a route (the most specific wins, as a whole). The service is resolved by
 * {@code check/ExtAuthzChecks}, which sees the gateway. Envoy: {@code translate/ExtAuthz} (one
 * ext_authz filter per service in use, disabled per route where that service does not decide); not
 * simulated ({@code meshgate test} cannot know the service's answer and takes it as allowed);
 * goldens: {@code ext-authz/}.
 */
final class ExtAuthzRequirements implements Setting<RouteAuth.RequireExtAuthz> {
  @Override
  public Class<RouteAuth.RequireExtAuthz> node() {
    return RouteAuth.RequireExtAuthz.class;
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
  public void check(RouteAuth.RequireExtAuthz require, SettingChecks checks) {
    require
        .word()
        .filter(w -> !w.text().equals("off"))
        .ifPresent(w ->
            checks.error(
                EXT_AUTHZ_OFF_WORD,
                w.span(),
                "`ext-authz "
                    + w.text()
                    + "` is not a setting; write `ext-authz off` (no external authorization"
                    + " here) or `require ext-authz \"NAME\"`"));
  }

  @Override
  public void lower(RouteAuth.RequireExtAuthz require, RouteParts parts) {
    parts.extAuthz(require.provider().map(StringLit::value));
  }
}
