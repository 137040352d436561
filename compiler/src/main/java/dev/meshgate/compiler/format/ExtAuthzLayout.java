package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.GatewayStmt.ExtAuthzField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.StringLit;
import java.util.List;
import java.util.stream.Collectors;

/** The canonical text of the ext-authz statements (external authorization, issue 12). */
final class ExtAuthzLayout {
  private ExtAuthzLayout() {}

  static String field(ExtAuthzField field) {
    return switch (field) {
      case ExtAuthzField.Service s ->
          s.kind().text()
              + " "
              + Layout.quote(s.address().value())
              + s.pathPrefix().map(p -> " path-prefix " + Layout.quote(p.value())).orElse("");
      case ExtAuthzField.Timeout t -> "timeout " + t.timeout().text();
      case ExtAuthzField.OnError o -> "on-error " + (o.allow() ? "allow" : "deny");
      case ExtAuthzField.SendHeaders h -> "send-headers " + list(h.headers());
      case ExtAuthzField.UpstreamHeaders h -> "upstream-headers " + list(h.headers());
    };
  }

  static String require(RouteAuth.RequireExtAuthz r) {
    return r.provider()
        .map(p -> "require ext-authz " + Layout.quote(p.value()))
        .orElseGet(() -> "ext-authz " + r.word().map(w -> w.text()).orElse("off"));
  }

  private static String list(List<StringLit> values) {
    return values.stream().map(v -> Layout.quote(v.value())).collect(Collectors.joining(", "));
  }
}
