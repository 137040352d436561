package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.ServiceStmt;
import java.util.Optional;

/**
 * {@code zone "…"} on a gateway or in a sidecar block: the proxy's own zone, whose endpoints it
 * prefers (the first written counts; the checker reported repeats).
 */
final class LocalityLowering {
  private LocalityLowering() {}

  static Optional<String> zone(GatewayDecl gateway) {
    return gateway.body().stream()
        .filter(GatewayStmt.Zone.class::isInstance)
        .map(s -> ((GatewayStmt.Zone) s).zone().value())
        .findFirst();
  }

  static Optional<String> zone(ServiceStmt.Sidecar sidecar) {
    return sidecar.zones().stream().map(z -> z.zone().value()).findFirst();
  }
}
