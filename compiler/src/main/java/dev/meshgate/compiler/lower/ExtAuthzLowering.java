package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.ExtAuthzField;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.ExtAuthzIr;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * external authorization (issue 12): a gateway's {@code ext-authz} services, sorted by name (the
 * first of a name, and within it the first of each field: the checker reported repeats). Defaults:
 * {@link ExtAuthzIr#DEFAULT_TIMEOUT}, on-error deny (fail closed).
 */
final class ExtAuthzLowering {
  private ExtAuthzLowering() {}

  static List<ExtAuthzIr> services(GatewayDecl gateway) {
    Map<String, ExtAuthzIr> services = new LinkedHashMap<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.ExtAuthz e && !services.containsKey(e.name().value())) {
        service(e).ifPresent(s -> services.put(s.name(), s));
      }
    }
    return services.values().stream().sorted(Comparator.comparing(ExtAuthzIr::name)).toList();
  }

  private static Optional<ExtAuthzIr> service(GatewayStmt.ExtAuthz e) {
    List<ExtAuthzField.Service> kinds = e.all(ExtAuthzField.Service.class);
    if (kinds.isEmpty()) {
      return Optional.empty(); // reported by the checker
    }
    ExtAuthzField.Service service = kinds.getFirst();
    String address = service.address().value();
    int colon = address.lastIndexOf(':');
    return Optional.of(
        new ExtAuthzIr(
            e.name().value(),
            service.kind().text().equals("http") ? ExtAuthzIr.Kind.HTTP : ExtAuthzIr.Kind.GRPC,
            address.substring(0, colon),
            Integer.parseInt(address.substring(colon + 1)),
            service.pathPrefix().map(StringLit::value),
            first(e, ExtAuthzField.Timeout.class)
                .flatMap(t -> t.timeout().value())
                .orElse(ExtAuthzIr.DEFAULT_TIMEOUT),
            first(e, ExtAuthzField.OnError.class).map(ExtAuthzField.OnError::allow).orElse(false),
            headers(e, ExtAuthzField.SendHeaders.class, ExtAuthzField.SendHeaders::headers),
            headers(
                e, ExtAuthzField.UpstreamHeaders.class, ExtAuthzField.UpstreamHeaders::headers)));
  }

  private static <T extends ExtAuthzField> Optional<T> first(
      GatewayStmt.ExtAuthz e, Class<T> kind) {
    return e.all(kind).stream().findFirst();
  }

  private static <T extends ExtAuthzField> List<String> headers(
      GatewayStmt.ExtAuthz e, Class<T> kind, Function<T, List<StringLit>> headers) {
    return first(e, kind).map(headers).orElse(List.of()).stream()
        .map(h -> h.value().toLowerCase(Locale.ROOT))
        .distinct()
        .sorted()
        .toList();
  }
}
