package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RateLimitKey;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** local rate limits (issue 13): {@code rate-limit 100 per 1m [burst N] [by …] [dry-run]}. */
final class RateLimitAstBuilder {
  private RateLimitAstBuilder() {}

  static Optional<RouteStmt> rateLimit(AstLeaves b, @Nullable RateLimitSpecContext ctx, Span span) {
    if (ctx == null || AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    Optional<NumberLit> rate = b.number(ctx.INT(0));
    Optional<DurationLit> interval = b.duration(ctx.duration());
    if (rate.isEmpty() || interval.isEmpty()) {
      return Optional.empty();
    }
    Optional<NumberLit> burst = ctx.BURST() == null ? Optional.empty() : b.number(ctx.INT(1));
    if (ctx.BURST() != null && burst.isEmpty()) {
      return Optional.empty();
    }
    Optional<RateLimitKey> key = Optional.empty();
    if (ctx.rateLimitKey() != null) {
      key = key(b, ctx.rateLimitKey());
      if (key.isEmpty()) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new RouteStmt.RateLimit(
            rate.get(),
            interval.get(),
            burst,
            key,
            ctx.DRY_RUN() != null,
            span,
            Optional.ofNullable(ctx.GLOBAL()).map(g -> Spans.of(b.source, g.getSymbol()))));
  }

  /** global rate limits (issue 13): {@code rate-limit service "HOST:PORT" [timeout D] [fail-…]}. */
  static Optional<GatewayStmt> service(AstLeaves b, RateLimitServiceStmtContext ctx) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    Optional<StringLit> address = b.string(ctx.string());
    Optional<DurationLit> timeout =
        ctx.TIMEOUT() == null ? Optional.empty() : b.duration(ctx.duration());
    if (ctx.TIMEOUT() != null && timeout.isEmpty()) {
      return Optional.empty();
    }
    Optional<GatewayStmt.RateLimitService.Failure> failure =
        ctx.FAIL_OPEN() != null
            ? Optional.of(GatewayStmt.RateLimitService.Failure.OPEN)
            : ctx.FAIL_CLOSED() != null
                ? Optional.of(GatewayStmt.RateLimitService.Failure.CLOSED)
                : Optional.empty();
    return address.map(a -> new GatewayStmt.RateLimitService(a, timeout, failure, b.span(ctx)));
  }

  private static Optional<RateLimitKey> key(AstLeaves b, RateLimitKeyContext ctx) {
    Span span = b.span(ctx);
    return switch (ctx) {
      case ClientIpKeyContext c -> Optional.of(new RateLimitKey.ClientIp(span));
      case HeaderKeyContext h -> b.string(h.string()).map(s -> new RateLimitKey.Header(s, span));
      case JwtClaimKeyContext j ->
          b.string(j.string()).map(s -> new RateLimitKey.JwtClaim(s, span));
      default -> Optional.empty();
    };
  }
}
