package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteStmt;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code to svc[.subset] [N%], …}: forward upstream, split by weight. Envoy: {@code
 * translate/ForwardActions} (cluster or weighted clusters); simulator: {@code
 * simulate/GatewayRouting}; goldens: {@code routing/}, {@code split/}.
 */
final class ForwardActions implements Setting<RouteStmt.To> {
  @Override
  public Class<RouteStmt.To> node() {
    return RouteStmt.To.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.ACTION;
  }

  @Override
  public void check(RouteStmt.To to, SettingChecks checks) {
    Map<String, RouteStmt.Target> seen = new HashMap<>();
    for (RouteStmt.Target t : to.targets()) {
      checks.resolve(t);
      RouteStmt.Target before = seen.putIfAbsent(t.cluster(), t);
      if (before != null) {
        checks.error(
            DUPLICATE_TARGET,
            t.span(),
            "\"" + t.cluster() + "\" is a target twice in this `to`; give it one combined weight");
      }
    }
    boolean several = to.targets().size() > 1;
    boolean missing = false;
    boolean allZero =
        to.targets().stream()
            .allMatch(t -> t.weight().isPresent() && t.weight().get().value() == 0);
    long sum = 0;
    for (RouteStmt.Target t : to.targets()) {
      if (t.weight().isEmpty()) {
        if (several) {
          missing = true;
          checks.error(
              WEIGHT_MISSING,
              t.span(),
              "target \""
                  + t.cluster()
                  + "\" has no weight; when `to` has several targets each needs one, like "
                  + t.cluster()
                  + " 10%");
        } else {
          sum += 100;
        }
        continue;
      }
      NumberLit w = t.weight().get();
      sum = Math.min(sum + w.value(), Long.MAX_VALUE / 2);
    }
    // A 0% target is a canary that starts at zero: fine while the others carry the traffic.
    if (allZero) {
      checks.warning(
          WEIGHT_ZERO,
          to.span(),
          "every target of this `to` has weight 0%, so the route sends no traffic: Envoy answers"
              + " 503; give one target a weight");
    } else if (!missing && sum != 100) {
      checks.error(WEIGHTS_SUM, to.span(), "weights sum to " + sum + "%, but must sum to 100%");
    }
  }

  @Override
  public void lower(RouteStmt.To to, RouteParts parts) {
    parts.targets(to.targets());
  }
}
