package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * external authorization (issue 12): {@code ext-authz "name" { … }} on a gateway, {@code require
 * ext-authz "name"} and {@code ext-authz off} in a route, host or gateway body.
 */
final class ExtAuthzAstBuilder {
  private ExtAuthzAstBuilder() {}

  static Optional<GatewayStmt> provider(AstLeaves b, ExtAuthzDeclContext ctx) {
    if (AstLeaves.hasErrorNodes(ctx) || ctx.extAuthzBody() == null) {
      return Optional.empty();
    }
    Optional<StringLit> name = b.string(ctx.string());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<GatewayStmt.ExtAuthzField> fields = new ArrayList<>();
    for (ExtAuthzFieldContext field : ctx.extAuthzBody().extAuthzField()) {
      Optional<GatewayStmt.ExtAuthzField> built = field(b, field);
      if (built.isEmpty()) {
        return Optional.empty();
      }
      fields.add(built.get());
    }
    return Optional.of(
        new GatewayStmt.ExtAuthz(name.get(), fields, b.span(ctx.start, ctx.string().stop)));
  }

  private static Optional<GatewayStmt.ExtAuthzField> field(AstLeaves b, ExtAuthzFieldContext ctx) {
    Span span = b.span(ctx);
    return switch (ctx) {
      case ExtAuthzServiceContext s -> {
        Name kind = new Name(s.start.getText(), Spans.of(b.source, s.start));
        Optional<StringLit> address = b.string(s.string(0));
        Optional<StringLit> prefix = Optional.empty();
        if (s.PATH_PREFIX() != null) {
          prefix = b.string(s.string(1));
          if (prefix.isEmpty()) {
            yield Optional.empty();
          }
        }
        Optional<StringLit> p = prefix;
        yield address.map(a -> new GatewayStmt.ExtAuthzField.Service(kind, a, p, span));
      }
      case ExtAuthzTimeoutContext t ->
          b.duration(t.duration()).map(d -> new GatewayStmt.ExtAuthzField.Timeout(d, span));
      case ExtAuthzOnErrorContext o ->
          o.ruleEffect() == null
              ? Optional.empty()
              : Optional.of(
                  new GatewayStmt.ExtAuthzField.OnError(o.ruleEffect().ALLOW() != null, span));
      case ExtAuthzSendHeadersContext h -> {
        List<StringLit> headers = AstLeaves.all(h.string(), b::string);
        yield headers.size() == h.string().size()
            ? Optional.of(new GatewayStmt.ExtAuthzField.SendHeaders(headers, span))
            : Optional.empty();
      }
      case ExtAuthzUpstreamHeadersContext h -> {
        List<StringLit> headers = AstLeaves.all(h.string(), b::string);
        yield headers.size() == h.string().size()
            ? Optional.of(new GatewayStmt.ExtAuthzField.UpstreamHeaders(headers, span))
            : Optional.empty();
      }
      default -> Optional.empty();
    };
  }

  /** {@code require ext-authz "name"}. */
  static Optional<RouteStmt> require(AstLeaves b, RequireExtAuthzStmtContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    return b.string(ctx.string())
        .map(p -> new RouteAuth.RequireExtAuthz(Optional.of(p), Optional.empty(), span));
  }

  /** {@code ext-authz off} (another word is reported by the checker). */
  static Optional<RouteStmt> off(AstLeaves b, ExtAuthzOffStmtContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx) || ctx.IDENT() == null) {
      return Optional.empty();
    }
    Name word = new Name(ctx.IDENT().getText(), Spans.of(b.source, ctx.IDENT().getSymbol()));
    return Optional.of(new RouteAuth.RequireExtAuthz(Optional.empty(), Optional.of(word), span));
  }
}
