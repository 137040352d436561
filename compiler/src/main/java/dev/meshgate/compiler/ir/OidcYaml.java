package dev.meshgate.compiler.ir;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The oidc login parts (issue 12) of the {@code .ir.yaml} goldens: names and sources, no secret.
 */
final class OidcYaml {
  private OidcYaml() {}

  static void gateway(GatewayIr g, Map<String, Object> m) {
    if (!g.oidcProviders().isEmpty()) {
      m.put("oidc-providers", g.oidcProviders().stream().map(OidcYaml::provider).toList());
    }
  }

  static void route(RouteIr r, Map<String, Object> m) {
    r.oidc().ifPresent(o -> m.put("oidc", o));
  }

  static Map<String, Object> provider(OidcIr p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("authorization-endpoint", p.authorizationEndpoint());
    Map<String, Object> token = new LinkedHashMap<>();
    token.put("url", p.tokenEndpoint());
    token.put("cluster", p.token().cluster());
    token.put("address", p.token().host() + ":" + p.token().port());
    token.put("tls", p.token().tls());
    m.put("token-endpoint", token);
    m.put("client-id", p.clientId());
    m.put("client-secret", secret(p.clientSecret()));
    m.put("cookie-secret", secret(p.cookieSecret()));
    m.put("redirect-path", p.redirectPath());
    m.put("logout-path", p.logoutPath());
    m.put("scopes", p.scopes());
    return m;
  }

  private static String secret(OidcIr.SecretIr secret) {
    return secret.kind().name().toLowerCase(Locale.ROOT) + " " + secret.value();
  }
}
