package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import java.util.List;

/**
 * Load balancing across the policy (issue 14): a proxy's {@code zone}. The settings themselves
 * ({@code hash-by}) are checked by their unit, {@code setting/HashPolicies}.
 */
final class LoadBalancingChecks {
  private final CheckContext cx;

  LoadBalancingChecks(CheckContext cx) {
    this.cx = cx;
  }

  void run() {
    for (PolicyFile file : cx.files) {
      cx.current = file;
      for (Decl decl : file.decls()) {
        switch (decl) {
          case GatewayDecl g ->
              zones(
                  g.body().stream()
                      .filter(GatewayStmt.Zone.class::isInstance)
                      .map(GatewayStmt.Zone.class::cast)
                      .toList(),
                  "gateway \"" + g.name().text() + "\"");
          case ServiceDecl s ->
              s.body().stream()
                  .filter(ServiceStmt.Sidecar.class::isInstance)
                  .map(ServiceStmt.Sidecar.class::cast)
                  .forEach(sc -> zones(sc.zones(), "the sidecar of \"" + s.name().text() + "\""));
          default -> {}
        }
      }
    }
  }

  /** A proxy runs in one zone: a non-empty name, written once. */
  private void zones(List<GatewayStmt.Zone> zones, String proxy) {
    for (int i = 0; i < zones.size(); i++) {
      GatewayStmt.Zone z = zones.get(i);
      if (z.zone().value().isBlank()) {
        cx.error(
            INVALID_ZONE,
            z.zone().span(),
            "the zone of "
                + proxy
                + " is empty; write the zone its endpoints carry, like \"eu-west-1a\"");
      }
      if (i > 0) {
        cx.error(
            DUPLICATE_ZONE,
            z.span(),
            proxy
                + " already runs in zone \""
                + zones.getFirst().zone().value()
                + "\" ("
                + cx.at(zones.getFirst().span())
                + "); a proxy is in one zone, keep one");
      }
    }
  }
}
