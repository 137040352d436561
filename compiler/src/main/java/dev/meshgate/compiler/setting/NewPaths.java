package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.StringLit;
import java.util.Optional;

/** Checks shared by the redirect and rewrite parts that name a new path or prefix. */
final class NewPaths {
  private NewPaths() {}

  /** A path written in a redirect or rewrite: "/…", without query, fragment or spaces. */
  static boolean valid(String what, StringLit path, SettingChecks checks) {
    String p = path.value();
    if (!p.startsWith("/") || p.contains("?") || p.contains("#") || p.matches(".*\\s.*")) {
      checks.error(
          INVALID_NEW_PATH,
          path.span(),
          what
              + " \""
              + p
              + "\" is not a path; write one that starts with '/', without query or fragment");
      return false;
    }
    return true;
  }

  /**
   * A {@code prefix} part replaces what the route's {@code /…/**} matched: every alternative of the
   * route must match by prefix.
   */
  static void needsPrefixRoute(String what, StringLit prefix, SettingChecks checks) {
    Optional<RouteDecl> route = checks.route();
    if (route.isEmpty()) {
      return;
    }
    for (RouteDecl.Alternative alternative : route.get().alternatives()) {
      String written =
          switch (alternative.path()) {
            case RouteDecl.PathPattern.Literal l -> l.text().endsWith("/**") ? "" : l.text();
            case RouteDecl.PathPattern.Regex r -> "~ \"" + r.regex().value() + "\"";
          };
      if (!written.isEmpty()) {
        checks.error(
            PREFIX_NEEDS_PREFIX_ROUTE,
            prefix.span(),
            what
                + " replaces the prefix a route like /old/** matched, but this route matches "
                + written
                + "; write path \""
                + prefix.value()
                + "\" to replace the whole path");
        return;
      }
    }
  }

  /** The prefix a route's {@code /…/**} matched, without the trailing slash ("" for /**). */
  static String matchedPrefix(String literal) {
    return literal.substring(0, literal.length() - 3);
  }
}
