package dev.meshgate.compiler.simulate;

import dev.meshgate.compiler.ir.AuthzRuleIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.SidecarIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Envoy resources came from: Envoy route names and RBAC policy names are the IR's route
 * and rule names, and the IR remembers each one's {@code file:line:col}.
 */
final class Origins {
  /** "gateway/route name" → origin, and "service/policy name" → origin. */
  private final Map<String, String> routes = new HashMap<>();

  private final Map<String, String> rules = new HashMap<>();

  Origins(PolicyIr ir) {
    for (GatewayIr gateway : ir.gateways()) {
      for (VirtualHostIr host : gateway.hosts()) {
        for (RouteIr route : host.routes()) {
          routes.putIfAbsent(gateway.name() + "\n" + route.name(), route.origin());
        }
      }
    }
    for (SidecarIr sidecar : ir.sidecars()) {
      for (var list :
          java.util.List.of(
              sidecar.authz().deny(), sidecar.authz().shadowDeny(), sidecar.authz().allow())) {
        for (AuthzRuleIr rule : list) {
          rules.putIfAbsent(sidecar.service() + "\n" + rule.name(), rule.origin());
        }
      }
    }
  }

  Optional<String> route(String gateway, String routeName) {
    return Optional.ofNullable(routes.get(gateway + "\n" + routeName));
  }

  Optional<String> rule(String service, String policyName) {
    return Optional.ofNullable(rules.get(service + "\n" + policyName));
  }
}
