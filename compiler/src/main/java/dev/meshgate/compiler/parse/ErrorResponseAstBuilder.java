package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.ErrorResponseOffContext;
import dev.meshgate.grammar.MeshParser.ErrorResponseRuleContext;
import dev.meshgate.grammar.MeshParser.ErrorResponseStmtContext;
import dev.meshgate.grammar.MeshParser.ErrorStatusContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.jspecify.annotations.Nullable;

/** custom responses (issue 13): {@code error-response …}. */
final class ErrorResponseAstBuilder {
  private ErrorResponseAstBuilder() {}

  static Optional<RouteStmt> errorResponse(AstLeaves b, ErrorResponseStmtContext ctx, Span span) {
    return switch (ctx.errorResponseSpec()) {
      case ErrorResponseOffContext off ->
          name(b, off.IDENT())
              .map(word -> new RouteStmt.ErrorResponse(List.of(), word, Optional.empty(), span));
      case ErrorResponseRuleContext rule -> rule(b, rule, span);
      case null, default -> Optional.empty();
    };
  }

  private static Optional<RouteStmt> rule(AstLeaves b, ErrorResponseRuleContext ctx, Span span) {
    List<Name> statuses = new ArrayList<>();
    for (ErrorStatusContext status : ctx.errorStatus()) {
      Optional<Name> n = name(b, status.INT() != null ? status.INT() : status.DIGIT_WORD());
      if (n.isEmpty()) {
        return Optional.empty();
      }
      statuses.add(n.get());
    }
    Optional<Name> format = name(b, ctx.IDENT());
    Optional<StringLit> text = b.string(ctx.string());
    if (statuses.isEmpty() || format.isEmpty() || text.isEmpty()) {
      return Optional.empty();
    }
    var body = new RouteStmt.ErrorResponse.Body(text.get(), ctx.FILE() != null);
    return Optional.of(
        new RouteStmt.ErrorResponse(statuses, format.get(), Optional.of(body), span));
  }

  private static Optional<Name> name(AstLeaves b, @Nullable TerminalNode node) {
    return AstLeaves.token(node).map(t -> new Name(t.getText(), Spans.of(b.source, t)));
  }
}
