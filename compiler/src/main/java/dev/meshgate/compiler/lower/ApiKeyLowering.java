package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.ApiKeyField;
import dev.meshgate.compiler.ir.ApiKeyIr;
import dev.meshgate.compiler.ir.CredentialSourceIr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** api keys (issue 12): a gateway's {@code api-keys} blocks, sorted by name. */
final class ApiKeyLowering {
  /** Where a key is read from when the block does not say: the common {@code x-api-key}. */
  static final String DEFAULT_HEADER = "x-api-key";

  private ApiKeyLowering() {}

  static List<ApiKeyIr.ProviderIr> providers(GatewayDecl gateway) {
    List<ApiKeyIr.ProviderIr> providers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.ApiKeys p && seen.add(p.name().value())) {
        providers.add(provider(p));
      }
    }
    providers.sort(Comparator.comparing(ApiKeyIr.ProviderIr::name));
    return List.copyOf(providers);
  }

  /** The checker made sure there is exactly one {@code keys file}, with an absolute path. */
  private static ApiKeyIr.ProviderIr provider(GatewayStmt.ApiKeys p) {
    ApiKeyField.KeysFile keys = p.all(ApiKeyField.KeysFile.class).getFirst();
    String file = keys.file().value();
    List<ApiKeyIr.KeySourceIr> from = new ArrayList<>();
    for (ApiKeyField.From f : p.all(ApiKeyField.From.class)) {
      ApiKeyIr.KeySourceIr.Kind kind =
          switch (f.place()) {
            case HEADER -> ApiKeyIr.KeySourceIr.Kind.HEADER;
            case QUERY -> ApiKeyIr.KeySourceIr.Kind.QUERY;
            case COOKIE -> ApiKeyIr.KeySourceIr.Kind.COOKIE;
          };
      String name =
          kind == ApiKeyIr.KeySourceIr.Kind.HEADER
              ? f.name().value().toLowerCase(java.util.Locale.ROOT)
              : f.name().value();
      ApiKeyIr.KeySourceIr source = new ApiKeyIr.KeySourceIr(kind, name);
      if (!from.contains(source)) {
        from.add(source);
      }
    }
    if (from.isEmpty()) {
      from.add(new ApiKeyIr.KeySourceIr(ApiKeyIr.KeySourceIr.Kind.HEADER, DEFAULT_HEADER));
    }
    return new ApiKeyIr.ProviderIr(
        p.name().value(), CredentialSourceIr.of(file, keys.kubernetesSecret()), from);
  }
}
