package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.INHERITED_RETRY_NOT_IDEMPOTENT;

import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.setting.Settings;
import java.util.List;
import java.util.Optional;

/**
 * MG340 for a retry a route does not write but inherits from its host or gateway: a {@code retry}
 * there has no methods to look at, so {@code Retries} cannot judge it where it is written. The
 * route that takes POST or PATCH is where the risk is, so the finding is reported there.
 */
final class InheritedRetries {
  private InheritedRetries() {}

  static void check(
      CheckContext cx, RouteDecl route, List<RouteStmt> host, List<RouteStmt> gateway) {
    boolean forwards = route.body().stream().anyMatch(RouteStmt.To.class::isInstance);
    boolean own = route.body().stream().anyMatch(RouteStmt.Retry.class::isInstance);
    if (!forwards || own) {
      return;
    }
    // The most specific place wins as a whole (RouteParts.inherit): the host's, then the gateway's.
    Optional<RouteStmt.Retry> fromHost = first(host);
    Optional<RouteStmt.Retry> inherited = fromHost.or(() -> first(gateway));
    if (inherited.isEmpty() || inherited.get().idempotent()) {
      return;
    }
    List<String> methods = Settings.notIdempotent(route.methods());
    List<String> unsafe = Settings.unsafeRetryConditions(inherited.get());
    if (methods.isEmpty() || unsafe.isEmpty()) {
      return;
    }
    cx.warning(
        INHERITED_RETRY_NOT_IDEMPOTENT,
        route.methods().stream()
            .filter(m -> methods.contains(m.text()))
            .findFirst()
            .orElseThrow()
            .span(),
        "this route takes "
            + String.join(" and ", methods)
            + ", which may not be safe to repeat, and inherits the "
            + (fromHost.isPresent() ? "host's" : "gateway's")
            + " retry at "
            + cx.at(inherited.get().span())
            + ", which retries on "
            + String.join(", ", unsafe)
            + " after the backend may have acted; give this route its own retry (`retry 1 on"
            + " connect-failure`, or one that says `idempotent` if repeating is safe)");
  }

  private static Optional<RouteStmt.Retry> first(List<RouteStmt> stmts) {
    return stmts.stream()
        .filter(RouteStmt.Retry.class::isInstance)
        .map(RouteStmt.Retry.class::cast)
        .findFirst();
  }
}
