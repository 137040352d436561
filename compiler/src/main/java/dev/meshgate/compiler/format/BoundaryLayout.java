package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import java.util.stream.Collectors;

/** How compression and request limits (issue 13) are printed. */
final class BoundaryLayout {
  private BoundaryLayout() {}

  static String compress(RouteStmt.Compress c) {
    StringBuilder sb =
        new StringBuilder("compress ")
            .append(c.algorithms().stream().map(Name::text).collect(Collectors.joining(", ")));
    if (!c.types().isEmpty()) {
      sb.append(" types ")
          .append(
              c.types().stream()
                  .map(t -> Layout.quote(t.value()))
                  .collect(Collectors.joining(", ")));
    }
    c.minSize().ifPresent(s -> sb.append(" min-size ").append(s.text()));
    return sb.toString();
  }

  /** gRPC transcoding (issue 13). */
  static String grpcJson(RouteStmt.GrpcJson g) {
    StringBuilder sb =
        new StringBuilder("grpc-json descriptor ")
            .append(Layout.quote(g.descriptor().value()))
            .append(" services ")
            .append(
                g.services().stream()
                    .map(s -> Layout.quote(s.value()))
                    .collect(Collectors.joining(", ")));
    g.options().forEach(o -> sb.append(' ').append(o.text()));
    return sb.toString();
  }

  /** custom responses (issue 13). */
  static String errorResponse(RouteStmt.ErrorResponse e) {
    if (e.off()) {
      return "error-response " + e.format().text();
    }
    return "error-response "
        + e.statuses().stream().map(Name::text).collect(Collectors.joining(", "))
        + " "
        + e.format().text()
        + e.body()
            .map(b -> (b.file() ? " file " : " ") + Layout.quote(b.text().value()))
            .orElse("");
  }

  static String limit(GatewayStmt.Limit l) {
    return l.kind().keyword()
        + " "
        + l.size().map(s -> s.text()).or(() -> l.duration().map(d -> d.text())).orElse("");
  }
}
