package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.SizeLit;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.jspecify.annotations.Nullable;

/** The gateway's boundary syntax (issue 13): compression and request limits. */
final class BoundaryAstBuilder {
  private BoundaryAstBuilder() {}

  /** {@code compress gzip, brotli [types "…", …] [min-size 1kb]} or {@code compress off}. */
  static Optional<RouteStmt> compress(AstLeaves b, CompressStmtContext ctx, Span span) {
    List<Name> algorithms = new ArrayList<>();
    for (TerminalNode id : ctx.IDENT()) {
      AstLeaves.token(id)
          .ifPresent(t -> algorithms.add(new Name(t.getText(), Spans.of(b.source, t))));
    }
    if (algorithms.isEmpty()) {
      return Optional.empty();
    }
    List<StringLit> types = new ArrayList<>();
    Optional<SizeLit> minSize = Optional.empty();
    for (CompressOptionContext option : ctx.compressOption()) {
      switch (option) {
        case CompressTypesContext t -> t.string().forEach(s -> b.string(s).ifPresent(types::add));
        case CompressMinSizeContext m -> {
          Optional<SizeLit> size = size(b, m.size());
          if (size.isEmpty()) {
            return Optional.empty();
          }
          minSize = minSize.or(() -> size);
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(new RouteStmt.Compress(algorithms, types, minSize, span));
  }

  /**
   * {@code grpc-json descriptor "…" services "…", … [option …]} (gRPC transcoding); dropped when
   * ANTLR recovered from an error inside it.
   */
  static Optional<RouteStmt> grpcJson(AstLeaves b, GrpcJsonSpecContext ctx, Span span) {
    List<StringLit> strings = new ArrayList<>();
    for (StringContext s : ctx.string()) {
      Optional<StringLit> lit = b.string(s);
      if (lit.isEmpty()) {
        return Optional.empty();
      }
      strings.add(lit.get());
    }
    if (strings.size() < 2) {
      return Optional.empty();
    }
    List<Name> options = new ArrayList<>();
    for (TerminalNode id : ctx.IDENT()) {
      AstLeaves.token(id).ifPresent(t -> options.add(new Name(t.getText(), Spans.of(b.source, t))));
    }
    return Optional.of(
        new RouteStmt.GrpcJson(
            strings.getFirst(), strings.subList(1, strings.size()), options, span));
  }

  /** {@code max-request-body 1mb} or {@code max-request-body none}. */
  static Optional<RouteStmt> maxRequestBody(AstLeaves b, MaxRequestBodyStmtContext ctx, Span span) {
    if (ctx.NONE() != null) {
      return Optional.of(new RouteStmt.MaxRequestBody(Optional.empty(), span));
    }
    return size(b, ctx.size()).map(s -> new RouteStmt.MaxRequestBody(Optional.of(s), span));
  }

  /** {@code max-request-headers 64kb}, {@code idle-timeout 1h}, {@code stream-idle-timeout 5m}. */
  static Optional<GatewayStmt> limit(AstLeaves b, LimitStmtContext ctx) {
    Span span = b.span(ctx);
    return switch (ctx) {
      case MaxRequestHeadersStmtContext m ->
          size(b, m.size())
              .map(s ->
                  new GatewayStmt.Limit(
                      GatewayStmt.Limit.Kind.MAX_REQUEST_HEADERS,
                      Optional.of(s),
                      Optional.empty(),
                      span));
      case IdleTimeoutStmtContext i ->
          b.timeoutValue(i.timeoutValue())
              .map(d ->
                  new GatewayStmt.Limit(
                      GatewayStmt.Limit.Kind.IDLE_TIMEOUT, Optional.empty(), Optional.of(d), span));
      case StreamIdleTimeoutStmtContext i ->
          b.timeoutValue(i.timeoutValue())
              .map(d ->
                  new GatewayStmt.Limit(
                      GatewayStmt.Limit.Kind.STREAM_IDLE_TIMEOUT,
                      Optional.empty(),
                      Optional.of(d),
                      span));
      default -> Optional.empty();
    };
  }

  private static Optional<SizeLit> size(AstLeaves b, @Nullable SizeContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    TerminalNode node = ctx.INT() != null ? ctx.INT() : ctx.DIGIT_WORD();
    return AstLeaves.token(node).map(t -> new SizeLit(t.getText(), Spans.of(b.source, t)));
  }
}
