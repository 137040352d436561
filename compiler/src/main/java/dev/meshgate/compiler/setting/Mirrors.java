package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.RouteActionIr;
import java.util.List;
import java.util.Set;

/**
 * {@code mirror svc[.subset] [N%]}: copy a share of the requests (100% unless told) to another
 * service or subset, fire and forget. Envoy: {@code translate/Mirrors} (the route action's {@code
 * request_mirror_policies}); simulator: {@code simulate/GatewayRouting} reports the mirrors of the
 * route it picks; goldens: {@code mirror/}.
 */
final class Mirrors implements Setting<RouteStmt.Mirror> {
  @Override
  public Class<RouteStmt.Mirror> node() {
    return RouteStmt.Mirror.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE, Attachment.CALL);
  }

  @Override
  public Role role() {
    // Several per route; that it needs `to` is checked below (FORWARDING would also mean "once").
    return Role.REPEATABLE;
  }

  @Override
  public void check(RouteStmt.Mirror m, SettingChecks checks) {
    RouteStmt.Target t = m.target();
    checks.resolve(t);
    if (t.weight().isPresent()) {
      long percent = t.weight().get().value();
      if (percent < 1 || percent > 100) {
        checks.error(
            MIRROR_PERCENT,
            t.weight().get().span(),
            "a mirror copies from 1% to 100% of the requests, found "
                + t.weight().get().text()
                + "%"
                + (percent == 0 ? "; remove the mirror to copy nothing" : ""));
      }
    }
    if (checks.where() == Attachment.ROUTE && !checks.forwards()) {
      String action =
          checks
              .first(RouteStmt.Redirect.class)
              .<RouteStmt>map(r -> r)
              .or(() -> checks.first(RouteStmt.Respond.class))
              .map(RouteStmt::keyword)
              .orElse("no `to`");
      checks.error(
          MIRROR_WITHOUT_FORWARD,
          m.span(),
          "`mirror` copies requests that are forwarded with `to`, but this route uses `"
              + action
              + "`; remove the mirror");
    }
    List<RouteStmt.Mirror> all = checks.all(RouteStmt.Mirror.class);
    for (RouteStmt.Mirror before : all) {
      if (before == m) {
        break;
      }
      if (before.target().cluster().equals(t.cluster())) {
        checks.error(
            DUPLICATE_MIRROR,
            m.span(),
            "\""
                + t.cluster()
                + "\" is mirrored twice here (first at "
                + checks.at(before.span())
                + "); keep one mirror per target");
        break;
      }
    }
  }

  @Override
  public void lower(RouteStmt.Mirror m, RouteParts parts) {
    RouteStmt.Target t = m.target();
    if (parts.mirrors().stream().anyMatch(x -> x.cluster().equals(t.cluster()))) {
      return; // a repeat (reported): the first counts
    }
    parts.mirror(
        t,
        new RouteActionIr.MirrorIr(t.cluster(), t.weight().map(w -> (int) w.value()).orElse(100)));
  }
}
