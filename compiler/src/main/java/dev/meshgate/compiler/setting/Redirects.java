package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.RouteActionIr;
import java.util.Set;

/**
 * {@code redirect 301 "/new/"}: answered by the proxy. Envoy: {@code translate/Redirects};
 * simulator: {@code simulate/GatewayRouting}; goldens: {@code redirect/}.
 */
final class Redirects implements Setting<RouteStmt.Redirect> {
  private static final Set<Integer> STATUSES = Set.of(301, 302, 303, 307, 308);

  @Override
  public Class<RouteStmt.Redirect> node() {
    return RouteStmt.Redirect.class;
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
  public void check(RouteStmt.Redirect r, SettingChecks checks) {
    if (!STATUSES.contains((int) Math.min(r.status().value(), Integer.MAX_VALUE))) {
      checks.error(
          REDIRECT_STATUS,
          r.status().span(),
          "redirect status "
              + r.status().text()
              + " is not a redirect; use 301, 302, 303, 307 or 308");
    }
    String loc = r.location().value();
    if (!(loc.startsWith("/") || loc.startsWith("http://") || loc.startsWith("https://"))
        || loc.contains(" ")) {
      checks.error(
          INVALID_REDIRECT_LOCATION,
          r.location().span(),
          "redirect location \""
              + loc
              + "\" must be a path like \"/new/\" or a URL like \"https://example.com/new/\"");
    }
  }

  @Override
  public void lower(RouteStmt.Redirect r, RouteParts parts) {
    parts.action(new RouteActionIr.Redirect((int) r.status().value(), r.location().value()));
  }
}
