package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.BASIC_AUTH_INVALID_NAME;

import dev.meshgate.compiler.Htpasswd;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.BasicAuthIr;
import java.util.Set;

/**
 * basic auth (issue 12): {@code require basic-auth "provider" [users "alice", "bob"]} on a gateway,
 * a host or a route. With {@code require api-key} it makes one client requirement: the most
 * specific place that says either wins, as a whole, and {@code require none} lifts it. The provider
 * is resolved by {@code check/BasicAuthChecks}, which sees the gateway. Envoy: {@code
 * translate/BasicAuths} (a per-route {@code basic_auth} config; the server fills in the users);
 * simulated (401 without a listed user); goldens: {@code basic-auth/}.
 */
final class BasicAuthRequirements implements Setting<RouteAuth.RequireBasicAuth> {
  @Override
  public Class<RouteAuth.RequireBasicAuth> node() {
    return RouteAuth.RequireBasicAuth.class;
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
  public void check(RouteAuth.RequireBasicAuth require, SettingChecks checks) {
    for (StringLit user : require.users()) {
      if (!user.value().matches(Htpasswd.USER_NAME)) {
        checks.error(
            BASIC_AUTH_INVALID_NAME,
            user.span(),
            "\""
                + user.value()
                + "\" is not a user name; user names use letters, digits and . _ @ -, as in the"
                + " users file");
      }
    }
  }

  @Override
  public void lower(RouteAuth.RequireBasicAuth require, RouteParts parts) {
    parts.basicAuth(
        new BasicAuthIr(
            require.provider().value(),
            require.users().stream().map(StringLit::value).distinct().sorted().toList()));
  }
}
