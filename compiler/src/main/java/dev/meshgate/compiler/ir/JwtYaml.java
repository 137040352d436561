package dev.meshgate.compiler.ir;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jwt parts (issue 12) of the {@code .ir.yaml} goldens. */
final class JwtYaml {
  private JwtYaml() {}

  static void gateway(GatewayIr g, Map<String, Object> m) {
    if (!g.jwtProviders().isEmpty()) {
      m.put("jwt-providers", g.jwtProviders().stream().map(JwtYaml::provider).toList());
    }
  }

  static Map<String, Object> provider(JwtIr.ProviderIr p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("issuer", p.issuer());
    if (!p.audiences().isEmpty()) {
      m.put("audiences", p.audiences());
    }
    switch (p.jwks()) {
      case JwtIr.JwksIr.Remote r -> {
        Map<String, Object> jwks = new LinkedHashMap<>();
        jwks.put("url", r.url());
        jwks.put("cluster", r.cluster());
        jwks.put("address", r.host() + ":" + r.port());
        jwks.put("tls", r.tls());
        jwks.put("cache", IrYaml.duration(r.cache()));
        m.put("jwks", jwks);
      }
      case JwtIr.JwksIr.Local l -> m.put("jwks", Map.of("file", l.file()));
    }
    if (!p.from().isEmpty()) {
      m.put(
          "from",
          p.from().stream()
              .map(f ->
                  f.prefix().isEmpty()
                      ? f.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + f.name()
                      : f.kind().name().toLowerCase(java.util.Locale.ROOT)
                          + " "
                          + f.name()
                          + " prefix \""
                          + f.prefix()
                          + "\"")
              .toList());
    }
    if (!p.claimHeaders().isEmpty()) {
      m.put(
          "claim-headers",
          p.claimHeaders().stream().map(c -> c.claim() + " -> " + c.header()).toList());
    }
    return m;
  }

  static Map<String, Object> route(JwtIr jwt) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "require",
        jwt.provider().map(p -> p + (jwt.optional() ? " (optional)" : "")).orElse("none"));
    if (!jwt.deny().isEmpty()) {
      m.put("deny", names(jwt.deny()));
    }
    if (!jwt.allow().isEmpty()) {
      m.put("allow", names(jwt.allow()));
    }
    return m;
  }

  private static List<String> names(List<JwtIr.ClaimRuleIr> rules) {
    return rules.stream().map(JwtIr.ClaimRuleIr::name).toList();
  }
}
