package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayStmt.ApiKeyField;
import dev.meshgate.compiler.ast.RouteAuth;
import java.util.Locale;
import java.util.stream.Collectors;

/** The canonical text of the api-key statements (issue 12). */
final class ApiKeyLayout {
  private ApiKeyLayout() {}

  static String field(ApiKeyField field) {
    return switch (field) {
      case ApiKeyField.KeysFile f ->
          (f.kubernetesSecret() ? "keys kubernetes-secret " : "keys file ")
              + Layout.quote(f.file().value());
      case ApiKeyField.KeysLiteral l -> "keys " + Layout.quote(l.value().value());
      case ApiKeyField.From f ->
          "from "
              + f.place().name().toLowerCase(Locale.ROOT)
              + " "
              + Layout.quote(f.name().value());
    };
  }

  static String require(RouteAuth.RequireApiKey r) {
    return "require api-key "
        + Layout.quote(r.provider().value())
        + (r.clients().isEmpty()
            ? ""
            : " clients "
                + r.clients().stream()
                    .map(c -> Layout.quote(c.value()))
                    .collect(Collectors.joining(", ")));
  }

  static String withApiKey(ExpectStmt.Option.ApiKey k) {
    return " with api-key client " + Layout.quote(k.client().value());
  }
}
