package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ast.TestDecl;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.tree.TerminalNode;

/** {@code test} blocks and their expectations. */
final class TestAstBuilder extends AstLeaves {
  private final GatewayAstBuilder routes;

  TestAstBuilder(Source source, GatewayAstBuilder routes) {
    super(source);
    this.routes = routes;
  }

  Optional<Decl> test(TestDeclContext ctx) {
    Optional<StringLit> name = string(ctx.string());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<ExpectStmt> expects = new ArrayList<>();
    if (ctx.testBody() != null) {
      expects.addAll(all(ctx.testBody().expectStmt(), this::expect));
    }
    return Optional.of(new TestDecl(name.get(), expects, span(ctx.start, ctx.string().stop)));
  }

  /** An expectation missing any part (after a syntax error) is dropped whole. */
  Optional<ExpectStmt> expect(ExpectStmtContext ctx) {
    if (ctx.expectRequest() == null || ctx.expectOutcome() == null || isError(ctx.ARROW())) {
      return Optional.empty();
    }
    Optional<ExpectStmt.Request> request = request(ctx.expectRequest());
    Optional<ExpectStmt.Outcome> outcome = outcome(ctx.expectOutcome());
    List<ExpectStmt.Option> options = all(ctx.requestOption(), this::requestOption);
    List<ExpectStmt.HeaderCheck> checks = all(ctx.outcomeCheck(), this::outcomeCheck);
    if (request.isEmpty()
        || outcome.isEmpty()
        || options.size() != ctx.requestOption().size()
        || checks.size() != ctx.outcomeCheck().size()) {
      return Optional.empty();
    }
    Optional<NumberLit> burst = Optional.empty();
    if (ctx.expectBurst() != null) {
      burst = number(ctx.expectBurst().INT());
      if (burst.isEmpty()) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new ExpectStmt(request.get(), options, outcome.get(), checks, burst, span(ctx)));
  }

  Optional<ExpectStmt.Request> request(ExpectRequestContext ctx) {
    Span span = span(ctx);
    return switch (ctx) {
      case CallRequestContext c -> {
        if (c.name().size() < 2 || isError(c.RARROW())) {
          yield Optional.empty();
        }
        Optional<Name> caller = name(c.name(0));
        Optional<Name> callee = name(c.name(1));
        if (caller.isEmpty() || callee.isEmpty()) {
          yield Optional.empty();
        }
        if (c.PATH() == null) {
          // A connection to a tcp service: no method, no path (the checker says so otherwise).
          var standIn = new RouteDecl.PathPattern.Literal("/", callee.get().span());
          yield Optional.of(
              new ExpectStmt.Request.Call(
                  caller.get(), callee.get(), method(c.METHOD()), standIn, false, span));
        }
        Optional<RouteDecl.PathPattern.Literal> path = requestPath(c.PATH());
        if (path.isEmpty()) {
          yield Optional.empty();
        }
        yield Optional.of(
            new ExpectStmt.Request.Call(
                caller.get(), callee.get(), method(c.METHOD()), path.get(), span));
      }
      case GatewayRequestContext g -> {
        Optional<ExpectStmt.Host> host = requestHost(g.requestHost());
        Optional<RouteDecl.PathPattern.Literal> path = requestPath(g.PATH());
        Optional<Name> gateway = isError(g.VIA()) ? Optional.empty() : name(g.name());
        if (host.isEmpty() || path.isEmpty() || gateway.isEmpty()) {
          yield Optional.empty();
        }
        yield Optional.of(
            new ExpectStmt.Request.Gateway(
                method(g.METHOD()), host.get(), path.get(), gateway.get(), span));
      }
      default -> Optional.empty();
    };
  }

  Optional<Name> method(TerminalNode node) {
    return token(node).map(t -> new Name(t.getText(), Spans.of(source, t)));
  }

  Optional<RouteDecl.PathPattern.Literal> requestPath(TerminalNode node) {
    return token(node)
        .map(t -> new RouteDecl.PathPattern.Literal(t.getText(), Spans.of(source, t)));
  }

  Optional<ExpectStmt.Host> requestHost(RequestHostContext ctx) {
    if (ctx == null || hasErrors(ctx)) {
      return Optional.empty();
    }
    if (ctx.string() != null) {
      return string(ctx.string()).map(s -> new ExpectStmt.Host(s.value(), true, s.span()));
    }
    if (ctx.IPV4() != null) {
      return token(ctx.IPV4())
          .map(t -> new ExpectStmt.Host(t.getText(), false, Spans.of(source, t)));
    }
    List<Name> labels = all(ctx.name(), this::name);
    if (labels.isEmpty() || labels.size() != ctx.name().size()) {
      return Optional.empty();
    }
    return Optional.of(new ExpectStmt.Host(ctx.getText(), false, span(ctx)));
  }

  Optional<ExpectStmt.Option> requestOption(RequestOptionContext ctx) {
    Span span = span(ctx);
    return switch (ctx) {
      case WithHeaderContext h ->
          pair(h.string()).map(p -> new ExpectStmt.Option.Header(p.get(0), p.get(1), span));
      case WithQueryContext q ->
          pair(q.string()).map(p -> new ExpectStmt.Option.Query(p.get(0), p.get(1), span));
      case WithJwtContext j ->
          isError(j.JWT()) ? Optional.empty() : Optional.of(new ExpectStmt.Option.Jwt(span));
      case WithJwtClaimsContext j -> JwtAstBuilder.testClaims(this, j, span);
      case WithApiKeyContext k -> ApiKeyAstBuilder.testKey(this, k, span); // api keys (issue 12)
      case WithBasicAuthContext u -> BasicAuthAstBuilder.testUser(this, u, span); // basic auth
      default -> Optional.empty();
    };
  }

  Optional<ExpectStmt.HeaderCheck> outcomeCheck(OutcomeCheckContext ctx) {
    Optional<Boolean> response = routes.direction(ctx.headerDirection());
    Optional<List<StringLit>> pair = pair(ctx.string());
    if (response.isEmpty() || pair.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ExpectStmt.HeaderCheck(
            response.get(), pair.get().get(0), pair.get().get(1), span(ctx)));
  }

  /** The two strings of {@code "name" = "value"}, both really written. */
  Optional<List<StringLit>> pair(List<StringContext> strings) {
    if (strings.size() != 2) {
      return Optional.empty();
    }
    Optional<StringLit> name = string(strings.get(0));
    Optional<StringLit> value = string(strings.get(1));
    return name.isPresent() && value.isPresent()
        ? Optional.of(List.of(name.get(), value.get()))
        : Optional.empty();
  }

  Optional<ExpectStmt.Outcome> outcome(ExpectOutcomeContext ctx) {
    Span span = span(ctx);
    return switch (ctx) {
      case RedirectOutcomeContext r -> {
        Optional<NumberLit> status = number(r.statusCode() == null ? null : r.statusCode().INT());
        Optional<StringLit> location = string(r.string());
        yield status.isPresent() && location.isPresent()
            ? Optional.of(new ExpectStmt.Outcome.Redirect(status.get(), location.get(), span))
            : Optional.empty();
      }
      case StatusOutcomeContext s ->
          number(s.statusCode() == null ? null : s.statusCode().INT())
              .map(n -> new ExpectStmt.Outcome.Status(n, span));
      case FaultOutcomeContext f ->
          number(f.statusCode() == null ? null : f.statusCode().INT())
              .map(n -> new ExpectStmt.Outcome.Fault(n, span));
      case TargetOutcomeContext t -> {
        List<RouteStmt.Target> targets = all(t.target(), routes::target);
        if (targets.isEmpty() || targets.size() != t.target().size()) {
          yield Optional.empty();
        }
        RouteStmt.Target only = targets.getFirst();
        // `allowed` and `denied` read as a single bare target; they are the verdict words.
        if (targets.size() == 1
            && only.subset().isEmpty()
            && only.weight().isEmpty()
            && (only.service().text().equals("allowed")
                || only.service().text().equals("denied"))) {
          yield Optional.of(new ExpectStmt.Outcome.Verdict(only.service(), span));
        }
        yield Optional.of(new ExpectStmt.Outcome.Targets(targets, span));
      }
      default -> Optional.empty();
    };
  }
}
