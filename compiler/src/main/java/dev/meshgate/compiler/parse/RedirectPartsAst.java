package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RedirectPart;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code redirect [STATUS] PART…} (issue 11): the parts a redirect changes. */
final class RedirectPartsAst {
  private RedirectPartsAst() {}

  static Optional<RouteStmt> redirect(AstLeaves b, RedirectPartsContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    Optional<NumberLit> status = Optional.empty();
    if (ctx.statusCode() != null) {
      status = b.number(ctx.statusCode().INT());
      if (status.isEmpty()) {
        return Optional.empty();
      }
    }
    List<RedirectPart> parts = new ArrayList<>();
    for (RedirectPartContext part : ctx.redirectPart()) {
      Span at = b.span(part);
      Optional<RedirectPart> p =
          switch (part) {
            case RedirectHostPartContext h ->
                b.string(h.string()).map(s -> new RedirectPart.Host(s, at));
            case RedirectPortPartContext n ->
                n.portNumber() == null
                    ? Optional.empty()
                    : b.number(n.portNumber().INT()).map(x -> new RedirectPart.Port(x, at));
            case RedirectPathPartContext h ->
                b.string(h.string()).map(s -> new RedirectPart.Path(s, at));
            case RedirectPrefixPartContext h ->
                b.string(h.string()).map(s -> new RedirectPart.Prefix(s, at));
            case RedirectWordPartContext w ->
                Optional.of(new RedirectPart.Word(new Name(w.IDENT().getText(), at), at));
            default -> Optional.empty();
          };
      if (p.isEmpty()) {
        return Optional.empty();
      }
      parts.add(p.get());
    }
    return Optional.of(new RouteStmt.RedirectTo(status, parts, span));
  }
}
