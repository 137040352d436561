package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.RouteActionIr;
import java.util.List;
import java.util.Set;

/**
 * {@code rewrite prefix "from" => "to"}. Envoy: {@code translate/Rewrites} (an anchored regex
 * rewrite); simulator: {@code simulate/GatewayRouting}; goldens: {@code rewrite/}.
 */
final class Rewrites implements Setting<RouteStmt.Rewrite> {
  @Override
  public Class<RouteStmt.Rewrite> node() {
    return RouteStmt.Rewrite.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.FORWARDING;
  }

  @Override
  public void check(RouteStmt.Rewrite r, SettingChecks checks) {
    for (StringLit s : List.of(r.from(), r.to())) {
      if (!s.value().startsWith("/")) {
        checks.error(
            INVALID_REWRITE,
            s.span(),
            "rewrite prefixes are paths and must start with '/', found \"" + s.value() + "\"");
        return;
      }
    }
    if (checks.route().map(RouteDecl::path).orElse(null)
        instanceof RouteDecl.PathPattern.Literal l) {
      String from = r.from().value();
      boolean possible;
      if (l.text().endsWith("/**")) {
        String prefix = l.text().substring(0, l.text().length() - 3);
        possible = from.startsWith(prefix) || (prefix + "/").startsWith(from);
      } else {
        possible = l.text().startsWith(from);
      }
      if (!possible) {
        checks.warning(
            REWRITE_NEVER_APPLIES,
            r.from().span(),
            "no path this route matches ("
                + l.text()
                + ") starts with \""
                + from
                + "\", so this rewrite never applies");
      }
    }
  }

  @Override
  public void lower(RouteStmt.Rewrite r, RouteParts parts) {
    parts.rewrite(new RouteActionIr.PrefixRewriteIr(r.from().value(), r.to().value()));
  }
}
