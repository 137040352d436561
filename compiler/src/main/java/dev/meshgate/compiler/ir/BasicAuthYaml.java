package dev.meshgate.compiler.ir;

import java.util.LinkedHashMap;
import java.util.Map;

/** The basic-auth parts (issue 12) of the {@code .ir.yaml} goldens: file paths, never users. */
final class BasicAuthYaml {
  private BasicAuthYaml() {}

  static void gateway(GatewayIr g, Map<String, Object> m) {
    if (!g.basicAuthProviders().isEmpty()) {
      m.put(
          "basic-auth",
          g.basicAuthProviders().stream()
              .map(p -> {
                // Insertion order: Map.of iterates in an order that changes between runs.
                Map<String, Object> provider = new LinkedHashMap<>();
                provider.put("name", p.name());
                switch (p.users()) {
                  case CredentialSourceIr.File f -> provider.put("users-file", f.path());
                  case CredentialSourceIr.KubernetesSecret k ->
                      provider.put("users-kubernetes-secret", k.reference());
                }
                return provider;
              })
              .toList());
    }
  }

  static void route(RouteIr r, Map<String, Object> m) {
    r.basicAuth()
        .ifPresent(b -> {
          Map<String, Object> route = new LinkedHashMap<>();
          route.put("require", b.provider());
          if (!b.users().isEmpty()) {
            route.put("users", b.users());
          }
          m.put("basic-auth", route);
        });
  }
}
