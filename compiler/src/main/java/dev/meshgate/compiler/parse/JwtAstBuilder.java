package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.JwtCondition;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** jwt (issue 12): providers on a gateway, requirements and claim rules, test claims. */
final class JwtAstBuilder {
  private JwtAstBuilder() {}

  static Optional<GatewayStmt> provider(AstLeaves b, JwtProviderDeclContext ctx) {
    if (AstLeaves.hasErrorNodes(ctx) || ctx.jwtProviderBody() == null) {
      return Optional.empty();
    }
    Optional<StringLit> name = b.string(ctx.string());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<GatewayStmt.JwtField> fields = new ArrayList<>();
    for (JwtProviderFieldContext field : ctx.jwtProviderBody().jwtProviderField()) {
      Optional<GatewayStmt.JwtField> built = field(b, field);
      if (built.isEmpty()) {
        return Optional.empty();
      }
      fields.add(built.get());
    }
    return Optional.of(
        new GatewayStmt.JwtProvider(name.get(), fields, b.span(ctx.start, ctx.string().stop)));
  }

  private static Optional<GatewayStmt.JwtField> field(AstLeaves b, JwtProviderFieldContext ctx) {
    Span span = b.span(ctx);
    return switch (ctx) {
      case JwtIssuerContext i ->
          b.string(i.string()).map(s -> new GatewayStmt.JwtField.Issuer(s, span));
      case JwtAudiencesContext a -> {
        List<StringLit> audiences = AstLeaves.all(a.string(), b::string);
        yield audiences.size() == a.string().size()
            ? Optional.of(new GatewayStmt.JwtField.Audiences(audiences, span))
            : Optional.empty();
      }
      case JwtLocalJwksContext l ->
          b.string(l.string()).map(s -> new GatewayStmt.JwtField.LocalJwks(s, span));
      case JwtRemoteJwksContext r -> {
        Optional<DurationLit> cache = Optional.empty();
        if (r.CACHE() != null) {
          cache = b.duration(r.duration());
          if (cache.isEmpty()) {
            yield Optional.empty();
          }
        }
        Optional<DurationLit> c = cache;
        yield b.string(r.string()).map(s -> new GatewayStmt.JwtField.RemoteJwks(s, c, span));
      }
      case JwtFromHeaderContext h -> {
        Optional<StringLit> header = b.string(h.string(0));
        Optional<StringLit> prefix = Optional.empty();
        if (h.PREFIX() != null) {
          prefix = b.string(h.string(1));
          if (prefix.isEmpty()) {
            yield Optional.empty();
          }
        }
        Optional<StringLit> p = prefix;
        yield header.map(s -> new GatewayStmt.JwtField.FromHeader(s, p, span));
      }
      case JwtFromQueryContext q ->
          b.string(q.string()).map(s -> new GatewayStmt.JwtField.FromQuery(s, span));
      case JwtFromCookieContext c ->
          b.string(c.string()).map(s -> new GatewayStmt.JwtField.FromCookie(s, span));
      case JwtClaimToHeaderContext c -> {
        Optional<StringLit> claim = b.string(c.string(0));
        Optional<StringLit> header = b.string(c.string(1));
        yield claim.isPresent() && header.isPresent()
            ? Optional.of(new GatewayStmt.JwtField.ClaimToHeader(claim.get(), header.get(), span))
            : Optional.empty();
      }
      default -> Optional.empty();
    };
  }

  static Optional<RouteStmt> require(AstLeaves b, RequireJwtStmtContext ctx, Span span) {
    return b.string(ctx.string())
        .map(s -> new RouteAuth.RequireJwt(Optional.of(s), ctx.OPTIONAL() != null, span));
  }

  static Optional<RouteStmt> requireNone(RequireNoneStmtContext ctx, Span span) {
    return AstLeaves.isError(ctx.NONE())
        ? Optional.empty()
        : Optional.of(new RouteAuth.RequireJwt(Optional.empty(), false, span));
  }

  static Optional<RouteStmt> rule(AstLeaves b, JwtRuleStmtContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    List<JwtCondition> conditions = new ArrayList<>();
    for (JwtConditionContext c : ctx.jwtCondition()) {
      Optional<JwtCondition> condition =
          switch (c) {
            case ClaimConditionContext claim -> {
              Optional<StringLit> name = b.string(claim.string(0));
              Optional<StringLit> value = b.string(claim.string(1));
              yield name.isPresent() && value.isPresent()
                  ? Optional.of(new JwtCondition.Claim(name.get(), value.get(), b.span(c)))
                  : Optional.empty();
            }
            case ScopeConditionContext scope ->
                b.string(scope.string())
                    .map(s -> (JwtCondition) new JwtCondition.Scope(s, b.span(c)));
            default -> Optional.empty();
          };
      if (condition.isEmpty()) {
        return Optional.empty();
      }
      conditions.add(condition.get());
    }
    return Optional.of(new RouteAuth.JwtRule(ctx.ruleEffect().ALLOW() != null, conditions, span));
  }

  static Optional<ExpectStmt.Option> testClaims(AstLeaves b, WithJwtClaimsContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    List<ExpectStmt.Option.Claim> claims = new ArrayList<>();
    for (JwtTestClaimContext c : ctx.jwtTestClaim()) {
      Optional<StringLit> name = b.string(c.string(0));
      Optional<StringLit> value = b.string(c.string(1));
      if (name.isEmpty() || value.isEmpty()) {
        return Optional.empty();
      }
      claims.add(new ExpectStmt.Option.Claim(name.get(), value.get(), b.span(c)));
    }
    return Optional.of(new ExpectStmt.Option.Jwt(claims, span));
  }
}
