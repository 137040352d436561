package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayStmt.BasicAuthField;
import dev.meshgate.compiler.ast.RouteAuth;
import java.util.stream.Collectors;

/** The canonical text of the basic-auth statements (issue 12). */
final class BasicAuthLayout {
  private BasicAuthLayout() {}

  static String field(BasicAuthField field) {
    return switch (field) {
      case BasicAuthField.UsersFile f ->
          (f.kubernetesSecret() ? "users kubernetes-secret " : "users file ")
              + Layout.quote(f.file().value());
      case BasicAuthField.UsersLiteral l -> "users " + Layout.quote(l.value().value());
    };
  }

  static String require(RouteAuth.RequireBasicAuth r) {
    return "require basic-auth "
        + Layout.quote(r.provider().value())
        + (r.users().isEmpty()
            ? ""
            : " users "
                + r.users().stream()
                    .map(u -> Layout.quote(u.value()))
                    .collect(Collectors.joining(", ")));
  }

  static String withBasicAuth(ExpectStmt.Option.BasicAuth b) {
    return " with basic-auth user " + Layout.quote(b.user().value());
  }
}
