package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.RouteActionIr;
import java.util.Set;

/**
 * {@code respond 200 ["body"]}: answered by the proxy. Envoy: {@code translate/DirectResponses};
 * simulator: {@code simulate/GatewayRouting}; goldens: {@code respond/}.
 */
final class DirectResponses implements Setting<RouteStmt.Respond> {
  @Override
  public Class<RouteStmt.Respond> node() {
    return RouteStmt.Respond.class;
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
  public void check(RouteStmt.Respond r, SettingChecks checks) {
    if (r.status().value() < 200 || r.status().value() > 599) {
      checks.error(
          RESPOND_STATUS,
          r.status().span(),
          "respond status " + r.status().text() + " is out of range; use a status from 200 to 599");
    }
  }

  @Override
  public void lower(RouteStmt.Respond r, RouteParts parts) {
    parts.action(
        new RouteActionIr.Respond(
            (int) r.status().value(), r.body().map(StringLit::value).orElse("")));
  }
}
