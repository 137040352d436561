package dev.meshgate.compiler.ir;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The api-key parts (issue 12) of the {@code .ir.yaml} goldens: file paths, never keys. */
final class ApiKeyYaml {
  private ApiKeyYaml() {}

  static void gateway(GatewayIr g, Map<String, Object> m) {
    if (!g.apiKeyProviders().isEmpty()) {
      m.put("api-keys", g.apiKeyProviders().stream().map(ApiKeyYaml::provider).toList());
    }
  }

  static Map<String, Object> provider(ApiKeyIr.ProviderIr p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    switch (p.keys()) {
      case CredentialSourceIr.File f -> m.put("keys-file", f.path());
      case CredentialSourceIr.KubernetesSecret k -> m.put("keys-kubernetes-secret", k.reference());
    }
    m.put(
        "from",
        p.from().stream()
            .map(f -> f.kind().name().toLowerCase(Locale.ROOT) + " " + f.name())
            .toList());
    return m;
  }

  static Map<String, Object> route(ApiKeyIr apiKey) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("require", apiKey.provider().orElse("none"));
    if (!apiKey.clients().isEmpty()) {
      m.put("clients", apiKey.clients());
    }
    return m;
  }
}
