package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.API_KEY_INVALID_CLIENT;

import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.ApiKeyIr;
import java.util.Optional;
import java.util.Set;

/**
 * api keys (issue 12): {@code require api-key "provider" [clients "a", "b"]} on a gateway, a host
 * or a route (the most specific wins, as a whole; {@code require none} lifts it). The provider is
 * resolved by {@code check/ApiKeyChecks}, which sees the gateway. Envoy: {@code translate/ApiKeys}
 * (a per-route {@code api_key_auth} config with {@code allowed_clients}); simulated (401 without a
 * key, 403 for a client not listed); goldens: {@code apikey/}.
 */
final class ApiKeyRequirements implements Setting<RouteAuth.RequireApiKey> {
  /** What a client name may hold: it names the client in a header and in logs. */
  static final String CLIENT_NAME = "[A-Za-z0-9._@-]+";

  @Override
  public Class<RouteAuth.RequireApiKey> node() {
    return RouteAuth.RequireApiKey.class;
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
  public void check(RouteAuth.RequireApiKey require, SettingChecks checks) {
    for (StringLit client : require.clients()) {
      if (!client.value().matches(CLIENT_NAME)) {
        checks.error(
            API_KEY_INVALID_CLIENT,
            client.span(),
            "\""
                + client.value()
                + "\" is not a client name; client names use letters, digits and . _ @ -, as in"
                + " the keys file");
      }
    }
  }

  @Override
  public void lower(RouteAuth.RequireApiKey require, RouteParts parts) {
    parts.apiKey(
        new ApiKeyIr(
            Optional.of(require.provider().value()),
            require.clients().stream().map(StringLit::value).distinct().sorted().toList()));
  }
}
