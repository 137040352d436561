package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.RedirectPart;
import dev.meshgate.compiler.ast.RouteStmt;

/** {@code redirect [STATUS] PART…} as {@code meshgate fmt} prints it: the parts as written. */
final class RedirectLayout {
  private RedirectLayout() {}

  static String redirect(RouteStmt.RedirectTo r) {
    StringBuilder sb = new StringBuilder("redirect");
    r.status().ifPresent(s -> sb.append(' ').append(s.text()));
    for (RedirectPart part : r.parts()) {
      sb.append(' ')
          .append(
              switch (part) {
                case RedirectPart.Host h -> "host " + Layout.quote(h.host().value());
                case RedirectPart.Port p -> "port " + p.port().text();
                case RedirectPart.Path p -> "path " + Layout.quote(p.path().value());
                case RedirectPart.Prefix p -> "prefix " + Layout.quote(p.prefix().value());
                case RedirectPart.Word w -> w.word().text();
              });
    }
    return sb.toString();
  }
}
