package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.HeaderMutationIr;
import java.util.Locale;
import java.util.Set;

/**
 * {@code set request-header "n" = "v"}, {@code add request-header "n" = "v"}, {@code remove
 * response-header "n"}; names are case-insensitive and lowered. Envoy: {@code
 * translate/HeaderMutations} (remove, then set, then add); simulator: {@code
 * simulate/GatewayRouting}; goldens: {@code headers/}.
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
    String n = h.name().value().toLowerCase(Locale.ROOT);
    if (n.equals("host")) {
      checks.error(
          RESERVED_HEADER,
          h.name().span(),
          "the host header is changed with `rewrite host \"NEW-HOST\"`,"
              + " not with `"
              + h.keyword()
              + "`");
    } else if (n.startsWith(":")) {
      checks.error(
          RESERVED_HEADER,
          h.name().span(),
          "header \""
              + n
              + "\" cannot be changed by a route: Envoy rejects changes to ':' pseudo-headers");
    } else {
      checks.headerName(h.name());
    }
  }

  @Override
  public void lower(RouteStmt.HeaderChange h, RouteParts parts) {
    var direction =
        h.response() ? HeaderMutationIr.Direction.RESPONSE : HeaderMutationIr.Direction.REQUEST;
    // HTTP header names are case-insensitive; Envoy and HTTP/2 use lower case.
    String name = h.name().value().toLowerCase(Locale.ROOT);
    parts.headerMutation(
        switch (h.op()) {
          case SET -> new HeaderMutationIr.Set(direction, name, h.value().orElseThrow().value());
          case ADD -> new HeaderMutationIr.Add(direction, name, h.value().orElseThrow().value());
          case REMOVE -> new HeaderMutationIr.Remove(direction, name);
        });
  }
}
