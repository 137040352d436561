package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.HeaderMutationIr;
import java.util.Set;

/**
 * {@code set request-header "n" = "v"}, {@code remove response-header "n"}. Envoy: {@code
 * translate/HeaderMutations}; simulator: not simulated; goldens: {@code headers/}.
 */
final class HeaderMutations implements Setting<RouteStmt.HeaderChange> {
  @Override
  public Class<RouteStmt.HeaderChange> node() {
    return RouteStmt.HeaderChange.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.REPEATABLE;
  }

  @Override
  public void check(RouteStmt.HeaderChange h, SettingChecks checks) {
    String n = h.name().value();
    if (n.equals("host") || n.startsWith(":")) {
      checks.error(
          RESERVED_HEADER,
          h.name().span(),
          "header \""
              + n
              + "\" cannot be changed by a route: Envoy rejects changes to host and to ':' pseudo-headers");
    } else {
      checks.headerName(h.name());
    }
  }

  @Override
  public void lower(RouteStmt.HeaderChange h, RouteParts parts) {
    var direction =
        h.response() ? HeaderMutationIr.Direction.RESPONSE : HeaderMutationIr.Direction.REQUEST;
    parts.headerMutation(
        h.set()
            ? new HeaderMutationIr.Set(direction, h.name().value(), h.value().orElseThrow().value())
            : new HeaderMutationIr.Remove(direction, h.name().value()));
  }
}
