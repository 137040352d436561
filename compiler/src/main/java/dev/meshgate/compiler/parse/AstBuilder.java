package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.MeshDecl;
import dev.meshgate.compiler.ast.MeshStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.RuleDecl;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ast.TestDecl;
import dev.meshgate.grammar.MeshParser;
import dev.meshgate.grammar.MeshParser.*;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parse tree → syntax tree. After a syntax error the parse tree may lack children or hold tokens
 * ANTLR conjured up while recovering; any node missing a required part is dropped (its error was
 * already reported), so the checker sees only what was really written.
 */
final class AstBuilder {
  private final Source source;

  AstBuilder(Source source) {
    this.source = source;
  }

  PolicyFile build(PolicyContext tree, boolean complete) {
    List<Decl> decls = new ArrayList<>();
    for (DeclContext decl : tree.decl()) {
      if (decl.serviceDecl() != null) {
        service(decl.serviceDecl()).ifPresent(decls::add);
      } else if (decl.gatewayDecl() != null) {
        gateway(decl.gatewayDecl()).ifPresent(decls::add);
      } else if (decl.meshDecl() != null) {
        mesh(decl.meshDecl()).ifPresent(decls::add);
      } else if (decl.ruleDecl() != null) {
        rule(decl.ruleDecl()).ifPresent(decls::add);
      } else if (decl.callDecl() != null) {
        call(decl.callDecl()).ifPresent(decls::add);
      } else if (decl.testDecl() != null) {
        test(decl.testDecl()).ifPresent(decls::add);
      }
    }
    return new PolicyFile(source, decls, complete);
  }

  // ------------------------------------------------------------------ services

  private Optional<Decl> service(ServiceDeclContext ctx) {
    Optional<Name> name = name(ctx.name());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<ServiceStmt> body = new ArrayList<>();
    if (ctx.serviceBody() != null) {
      for (ServiceStmtContext stmt : ctx.serviceBody().serviceStmt()) {
        serviceStmt(stmt).ifPresent(body::add);
      }
    }
    return Optional.of(new ServiceDecl(name.get(), body, span(ctx.start, ctx.name().stop)));
  }

  private Optional<ServiceStmt> serviceStmt(ServiceStmtContext ctx) {
    if (ctx.sourceStmt() != null) {
      return source(ctx.sourceStmt());
    }
    if (ctx.protocolStmt() != null) {
      var p = ctx.protocolStmt();
      return name(p.name()).map(n -> new ServiceStmt.ProtocolStmt(n, span(p)));
    }
    if (ctx.sidecarDecl() != null) {
      return sidecar(ctx.sidecarDecl());
    }
    if (ctx.subsetStmt() != null) {
      var s = ctx.subsetStmt();
      Optional<Name> name = name(s.name());
      if (name.isEmpty() || s.WHERE() == null || isError(s.WHERE())) {
        return Optional.empty();
      }
      List<ServiceStmt.Label> where = all(s.selector(), this::selector);
      if (where.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new ServiceStmt.SubsetStmt(name.get(), where, span(s)));
    }
    return Optional.empty();
  }

  private Optional<ServiceStmt> sidecar(SidecarDeclContext ctx) {
    List<ServiceStmt.SidecarStmt> body = new ArrayList<>();
    if (ctx.sidecarBody() != null) {
      body.addAll(all(ctx.sidecarBody().sidecarStmt(), this::sidecarStmt));
    }
    return Optional.of(new ServiceStmt.Sidecar(body, span(ctx.start, ctx.start)));
  }

  private Optional<ServiceStmt.SidecarStmt> sidecarStmt(SidecarStmtContext ctx) {
    if (ctx.sidecarKind() == null || hasErrors(ctx.sidecarKind()) || ctx.socketAddress() == null) {
      return Optional.empty();
    }
    SocketAddressContext address = ctx.socketAddress();
    Optional<NumberLit> port =
        number(address.portNumber() == null ? null : address.portNumber().INT());
    if (port.isEmpty()) {
      return Optional.empty();
    }
    var kind =
        ctx.sidecarKind().INBOUND() != null
            ? ServiceStmt.SidecarStmt.Kind.INBOUND
            : ctx.sidecarKind().APP() != null
                ? ServiceStmt.SidecarStmt.Kind.APP
                : ServiceStmt.SidecarStmt.Kind.OUTBOUND;
    Optional<GatewayStmt.Address> ip =
        token(address.IPV4()).map(t -> new GatewayStmt.Address(t.getText(), Spans.of(source, t)));
    return Optional.of(new ServiceStmt.SidecarStmt(kind, ip, port.get(), span(ctx)));
  }

  // ------------------------------------------------------------------ mesh, rules, calls

  private Optional<Decl> mesh(MeshDeclContext ctx) {
    Optional<Name> name = Optional.empty();
    if (ctx.name() != null) {
      name = name(ctx.name());
      if (name.isEmpty()) {
        return Optional.empty();
      }
    }
    List<MeshStmt> body = new ArrayList<>();
    if (ctx.meshBody() != null) {
      body.addAll(all(ctx.meshBody().meshStmt(), this::meshStmt));
    }
    Token last = ctx.name() != null ? ctx.name().stop : ctx.start;
    return Optional.of(new MeshDecl(name, body, span(ctx.start, last)));
  }

  private Optional<MeshStmt> meshStmt(MeshStmtContext ctx) {
    Span span = span(ctx);
    return switch (ctx) {
      case TrustDomainStmtContext t ->
          string(t.string()).map(s -> new MeshStmt.TrustDomain(s, span));
      case MtlsStmtContext m -> name(m.name()).map(n -> new MeshStmt.Mtls(n, span));
      case AuthzDefaultStmtContext a ->
          isError(a.DEFAULT())
              ? Optional.empty()
              : name(a.name()).map(n -> new MeshStmt.AuthzDefault(n, span));
      default -> Optional.empty();
    };
  }

  private Optional<Decl> rule(RuleDeclContext ctx) {
    if (ctx.ruleEffect() == null
        || hasErrors(ctx.ruleEffect())
        || ctx.ruleSource() == null
        || hasErrors(ctx.ruleSource())) {
      return Optional.empty();
    }
    RuleDecl.Effect effect =
        ctx.ruleEffect().ALLOW() != null ? RuleDecl.Effect.ALLOW : RuleDecl.Effect.DENY;
    Optional<Span> dryRun = token(ctx.DRY_RUN()).map(t -> Spans.of(source, t));
    RuleSourceContext src = ctx.ruleSource();
    RuleDecl.Source from;
    if (src.STAR() != null) {
      from = new RuleDecl.Source.Any(Spans.of(source, src.STAR().getSymbol()));
    } else {
      Optional<Name> n = name(src.name());
      if (n.isEmpty()) {
        return Optional.empty();
      }
      from = new RuleDecl.Source.Named(n.get(), n.get().span());
    }
    Optional<Name> destination = name(ctx.name());
    if (destination.isEmpty() || isError(ctx.RARROW())) {
      return Optional.empty();
    }
    List<Name> methods = new ArrayList<>();
    for (TerminalNode m : ctx.METHOD()) {
      token(m).ifPresent(t -> methods.add(new Name(t.getText(), Spans.of(source, t))));
    }
    List<RouteDecl.PathPattern.Literal> paths = new ArrayList<>();
    List<TerminalNode> pathTokens = ctx.PATH();
    for (int i = 0; i < pathTokens.size(); i++) {
      Optional<Token> t = token(pathTokens.get(i));
      if (t.isEmpty()) {
        return Optional.empty();
      }
      String text = t.get().getText();
      Span at = Spans.of(source, t.get());
      // "/a/**, /b" lexes as "/a/**," then "/b": ',' is a valid path character, so the comma
      // that separates two paths sticks to the first. Only a separator is stripped.
      if (i < pathTokens.size() - 1 && text.endsWith(",") && text.length() > 1) {
        text = text.substring(0, text.length() - 1);
        at = new Span(at.file(), at.line(), at.column(), text.length());
      }
      paths.add(new RouteDecl.PathPattern.Literal(text, at));
    }
    return Optional.of(
        new RuleDecl(
            effect, dryRun, from, destination.get(), methods, paths, span(ctx.start, ctx.stop)));
  }

  private Optional<Decl> call(CallDeclContext ctx) {
    if (ctx.name().size() < 2 || isError(ctx.RARROW())) {
      return Optional.empty();
    }
    Optional<Name> caller = name(ctx.name(0));
    Optional<Name> callee = name(ctx.name(1));
    if (caller.isEmpty() || callee.isEmpty()) {
      return Optional.empty();
    }
    List<RouteStmt> body = new ArrayList<>();
    if (ctx.callBody() != null) {
      for (CallStmtContext stmt : ctx.callBody().callStmt()) {
        Span span = span(stmt);
        switch (stmt) {
          case CallTimeoutStmtContext t ->
              duration(t.duration()).map(d -> new RouteStmt.Timeout(d, span)).ifPresent(body::add);
          case CallRetryStmtContext r -> retry(r.retrySpec(), span).ifPresent(body::add);
          case CallPortStmtContext p ->
              number(p.portNumber() == null ? null : p.portNumber().INT())
                  .map(n -> new RouteStmt.Port(n, span))
                  .ifPresent(body::add);
          default -> {}
        }
      }
    }
    return Optional.of(
        new CallDecl(caller.get(), callee.get(), body, span(ctx.start, ctx.name(1).stop)));
  }

  private Optional<ServiceStmt> source(SourceStmtContext ctx) {
    SourceKindContext kind = ctx.sourceKind();
    Span span = span(ctx);
    if (kind instanceof StaticSourceContext s) {
      List<ServiceStmt.Endpoint> endpoints = all(s.endpoint(), this::endpoint);
      return endpoints.isEmpty()
          ? Optional.empty()
          : Optional.of(new ServiceStmt.StaticSource(endpoints, span));
    }
    if (kind instanceof ConsulSourceContext c) {
      List<StringLit> datacenters = new ArrayList<>();
      List<StringLit> tags = new ArrayList<>();
      for (ConsulOptionContext option : c.consulOption()) {
        Optional<StringLit> value = string(option.string());
        if (value.isEmpty()) {
          return Optional.empty();
        }
        (option.DATACENTER() != null ? datacenters : tags).add(value.get());
      }
      return string(c.string())
          .map(name -> new ServiceStmt.ConsulSource(name, datacenters, tags, span));
    }
    if (kind instanceof KubernetesSourceContext k) {
      Optional<StringLit> ref = string(k.string());
      Optional<Name> port =
          k.PORT() == null ? Optional.empty() : kubernetesPort(k.kubernetesPort());
      if (k.PORT() != null && port.isEmpty()) {
        return Optional.empty();
      }
      return ref.map(r -> new ServiceStmt.KubernetesSource(r, port, span));
    }
    return Optional.empty();
  }

  private Optional<ServiceStmt.Endpoint> endpoint(EndpointContext ctx) {
    EndpointHostContext host = ctx.endpointHost();
    Optional<NumberLit> port = number(ctx.portNumber() == null ? null : ctx.portNumber().INT());
    if (host == null || hasErrors(host) || port.isEmpty()) {
      return Optional.empty();
    }
    List<ServiceStmt.Label> labels = new ArrayList<>();
    for (LabelContext label : ctx.label()) {
      Optional<String> key = labelKey(label.labelKey());
      Optional<String> value = labelValue(label.labelValue());
      if (key.isEmpty() || value.isEmpty()) {
        return Optional.empty();
      }
      labels.add(new ServiceStmt.Label(key.get(), value.get(), span(label)));
    }
    return Optional.of(
        new ServiceStmt.Endpoint(host.getText(), span(host), port.get(), labels, span(ctx)));
  }

  private Optional<ServiceStmt.Label> selector(SelectorContext ctx) {
    Optional<String> key = labelKey(ctx.labelKey());
    Optional<StringLit> value = string(ctx.string());
    if (key.isEmpty() || value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ServiceStmt.Label(key.get(), value.get().value(), span(ctx)));
  }

  private Optional<String> labelKey(LabelKeyContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    return ctx.name() != null
        ? name(ctx.name()).map(Name::text)
        : string(ctx.string()).map(StringLit::value);
  }

  private Optional<String> labelValue(LabelValueContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    if (ctx.string() != null) {
      return string(ctx.string()).map(StringLit::value);
    }
    if (ctx.name() != null) {
      return name(ctx.name()).map(Name::text);
    }
    TerminalNode t = ctx.INT() != null ? ctx.INT() : ctx.DIGIT_WORD();
    return token(t).map(Token::getText);
  }

  // ------------------------------------------------------------------ policy tests

  private Optional<Decl> test(TestDeclContext ctx) {
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
  private Optional<ExpectStmt> expect(ExpectStmtContext ctx) {
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
    return Optional.of(new ExpectStmt(request.get(), options, outcome.get(), checks, span(ctx)));
  }

  private Optional<ExpectStmt.Request> request(ExpectRequestContext ctx) {
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

  private Optional<Name> method(TerminalNode node) {
    return token(node).map(t -> new Name(t.getText(), Spans.of(source, t)));
  }

  private Optional<RouteDecl.PathPattern.Literal> requestPath(TerminalNode node) {
    return token(node)
        .map(t -> new RouteDecl.PathPattern.Literal(t.getText(), Spans.of(source, t)));
  }

  private Optional<ExpectStmt.Host> requestHost(RequestHostContext ctx) {
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

  private Optional<ExpectStmt.Option> requestOption(RequestOptionContext ctx) {
    Span span = span(ctx);
    return switch (ctx) {
      case WithHeaderContext h ->
          pair(h.string()).map(p -> new ExpectStmt.Option.Header(p.get(0), p.get(1), span));
      case WithQueryContext q ->
          pair(q.string()).map(p -> new ExpectStmt.Option.Query(p.get(0), p.get(1), span));
      case WithJwtContext j ->
          isError(j.JWT()) ? Optional.empty() : Optional.of(new ExpectStmt.Option.Jwt(span));
      default -> Optional.empty();
    };
  }

  private Optional<ExpectStmt.HeaderCheck> outcomeCheck(OutcomeCheckContext ctx) {
    Optional<Boolean> response = direction(ctx.headerDirection());
    Optional<List<StringLit>> pair = pair(ctx.string());
    if (response.isEmpty() || pair.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ExpectStmt.HeaderCheck(
            response.get(), pair.get().get(0), pair.get().get(1), span(ctx)));
  }

  /** The two strings of {@code "name" = "value"}, both really written. */
  private Optional<List<StringLit>> pair(List<StringContext> strings) {
    if (strings.size() != 2) {
      return Optional.empty();
    }
    Optional<StringLit> name = string(strings.get(0));
    Optional<StringLit> value = string(strings.get(1));
    return name.isPresent() && value.isPresent()
        ? Optional.of(List.of(name.get(), value.get()))
        : Optional.empty();
  }

  private Optional<ExpectStmt.Outcome> outcome(ExpectOutcomeContext ctx) {
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
      case TargetOutcomeContext t -> {
        List<RouteStmt.Target> targets = all(t.target(), this::target);
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

  // ------------------------------------------------------------------ gateways

  private Optional<Decl> gateway(GatewayDeclContext ctx) {
    Optional<Name> name = name(ctx.name());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<GatewayStmt> body = new ArrayList<>();
    if (ctx.gatewayBody() != null) {
      for (GatewayStmtContext stmt : ctx.gatewayBody().gatewayStmt()) {
        if (stmt.listenStmt() != null) {
          listen(stmt.listenStmt()).ifPresent(body::add);
        } else if (stmt.hostDecl() != null) {
          host(stmt.hostDecl()).ifPresent(body::add);
        }
      }
    }
    return Optional.of(new GatewayDecl(name.get(), body, span(ctx.start, ctx.name().stop)));
  }

  private Optional<GatewayStmt> listen(ListenStmtContext ctx) {
    Optional<NumberLit> port = number(ctx.portNumber() == null ? null : ctx.portNumber().INT());
    if (port.isEmpty()) {
      return Optional.empty();
    }
    Optional<GatewayStmt.Address> address =
        token(ctx.IPV4()).map(t -> new GatewayStmt.Address(t.getText(), Spans.of(source, t)));
    return Optional.of(new GatewayStmt.Listen(address, port.get(), span(ctx)));
  }

  private Optional<GatewayStmt> host(HostDeclContext ctx) {
    Optional<StringLit> host = string(ctx.string());
    if (host.isEmpty()) {
      return Optional.empty();
    }
    List<RouteDecl> routes = new ArrayList<>();
    if (ctx.hostBody() != null) {
      routes.addAll(all(ctx.hostBody().routeDecl(), this::route));
    }
    return Optional.of(
        new GatewayStmt.Host(host.get(), routes, span(ctx.start, ctx.string().stop)));
  }

  private Optional<RouteDecl> route(RouteDeclContext ctx) {
    List<Name> methods = new ArrayList<>();
    for (TerminalNode m : ctx.METHOD()) {
      token(m).ifPresent(t -> methods.add(new Name(t.getText(), Spans.of(source, t))));
    }
    Optional<RouteDecl.PathPattern> path = path(ctx.pathMatch());
    if (path.isEmpty()) {
      return Optional.empty();
    }
    List<RouteDecl.Condition> conditions = new ArrayList<>();
    Token headerEnd = ctx.pathMatch().stop;
    if (ctx.conditions() != null) {
      conditions.addAll(all(ctx.conditions().condition(), this::condition));
      if (conditions.size() != ctx.conditions().condition().size()
          || isError(ctx.conditions().WHEN())) {
        return Optional.empty();
      }
      headerEnd = ctx.conditions().stop;
    }
    List<RouteStmt> body = new ArrayList<>();
    if (ctx.routeBody() != null) {
      body.addAll(all(ctx.routeBody().routeStmt(), this::routeStmt));
    }
    return Optional.of(
        new RouteDecl(methods, path.get(), conditions, body, span(ctx.start, headerEnd)));
  }

  private Optional<RouteDecl.PathPattern> path(PathMatchContext ctx) {
    if (ctx instanceof PlainPathContext p) {
      return token(p.PATH())
          .map(t -> new RouteDecl.PathPattern.Literal(t.getText(), Spans.of(source, t)));
    }
    if (ctx instanceof RegexPathContext r) {
      return string(r.string()).map(s -> new RouteDecl.PathPattern.Regex(s, span(r)));
    }
    return Optional.empty();
  }

  private Optional<RouteDecl.Condition> condition(ConditionContext ctx) {
    Optional<StringLit> name = string(ctx.string(0));
    Optional<StringLit> value = ctx.string().size() > 1 ? string(ctx.string(1)) : Optional.empty();
    if (ctx.conditionKind() == null
        || hasErrors(ctx.conditionKind())
        || ctx.op == null
        || name.isEmpty()
        || value.isEmpty()) {
      return Optional.empty();
    }
    var kind =
        ctx.conditionKind().HEADER() != null
            ? RouteDecl.Condition.Kind.HEADER
            : RouteDecl.Condition.Kind.QUERY;
    return Optional.of(
        new RouteDecl.Condition(
            kind, name.get(), ctx.op.getType() == MeshParser.TILDE, value.get(), span(ctx)));
  }

  private Optional<RouteStmt> routeStmt(RouteStmtContext ctx) {
    Span span = span(ctx);
    return switch (ctx) {
      case ToStmtContext to -> {
        List<RouteStmt.Target> targets = all(to.target(), this::target);
        yield targets.size() == to.target().size() && !targets.isEmpty()
            ? Optional.of(new RouteStmt.To(targets, span))
            : Optional.empty();
      }
      case RewriteStmtContext r -> {
        Optional<StringLit> from = string(r.string(0));
        Optional<StringLit> into = r.string().size() > 1 ? string(r.string(1)) : Optional.empty();
        yield from.isPresent() && into.isPresent() && !hasErrorNodes(r)
            ? Optional.of(new RouteStmt.Rewrite(from.get(), into.get(), span))
            : Optional.empty();
      }
      case TimeoutStmtContext t -> duration(t.duration()).map(d -> new RouteStmt.Timeout(d, span));
      case RetryStmtContext r -> retry(r.retrySpec(), span);
      case SetHeaderStmtContext s -> {
        Optional<StringLit> name = string(s.string(0));
        Optional<StringLit> value = s.string().size() > 1 ? string(s.string(1)) : Optional.empty();
        yield direction(s.headerDirection()).isPresent() && name.isPresent() && value.isPresent()
            ? Optional.of(
                new RouteStmt.HeaderChange(
                    true, direction(s.headerDirection()).get(), name.get(), value, span))
            : Optional.empty();
      }
      case RemoveHeaderStmtContext s -> {
        Optional<StringLit> name = string(s.string());
        yield direction(s.headerDirection()).isPresent() && name.isPresent()
            ? Optional.of(
                new RouteStmt.HeaderChange(
                    false,
                    direction(s.headerDirection()).get(),
                    name.get(),
                    Optional.empty(),
                    span))
            : Optional.empty();
      }
      case RedirectStmtContext r -> {
        Optional<NumberLit> status = number(r.statusCode() == null ? null : r.statusCode().INT());
        Optional<StringLit> location = string(r.string());
        yield status.isPresent() && location.isPresent()
            ? Optional.of(new RouteStmt.Redirect(status.get(), location.get(), span))
            : Optional.empty();
      }
      case RespondStmtContext r -> {
        Optional<NumberLit> status = number(r.statusCode() == null ? null : r.statusCode().INT());
        if (status.isEmpty() || (r.string() != null && string(r.string()).isEmpty())) {
          yield Optional.empty();
        }
        yield Optional.of(new RouteStmt.Respond(status.get(), string(r.string()), span));
      }
      default -> Optional.empty();
    };
  }

  private Optional<RouteStmt> retry(RetrySpecContext r, Span span) {
    if (r == null) {
      return Optional.empty();
    }
    Optional<NumberLit> attempts =
        number(r.retryAttempts() == null ? null : r.retryAttempts().INT());
    if (attempts.isEmpty()) {
      return Optional.empty();
    }
    List<Name> on = new ArrayList<>();
    for (RetryConditionContext c : r.retryCondition()) {
      Optional<Name> cond =
          c.name() != null
              ? name(c.name())
              : token(c.DIGIT_WORD() != null ? c.DIGIT_WORD() : c.INT())
                  .map(t -> new Name(t.getText(), Spans.of(source, t)));
      if (cond.isEmpty()) {
        return Optional.empty();
      }
      on.add(cond.get());
    }
    if (r.ON() != null && on.isEmpty()) {
      return Optional.empty();
    }
    Optional<DurationLit> perTry = Optional.empty();
    if (r.PER_TRY() != null) {
      perTry = duration(r.duration());
      if (perTry.isEmpty()) {
        return Optional.empty();
      }
    }
    return Optional.of(new RouteStmt.Retry(attempts.get(), on, perTry, span));
  }

  private Optional<RouteStmt.Target> target(TargetContext ctx) {
    Optional<Name> service = name(ctx.name(0));
    if (service.isEmpty()) {
      return Optional.empty();
    }
    Optional<Name> subset = Optional.empty();
    if (ctx.DOT() != null) {
      subset = ctx.name().size() > 1 ? name(ctx.name(1)) : Optional.empty();
      if (subset.isEmpty()) {
        return Optional.empty();
      }
    }
    Optional<NumberLit> weight = Optional.empty();
    if (ctx.weight() != null) {
      if (hasErrors(ctx.weight())) {
        return Optional.empty();
      }
      NumberLit n = number(ctx.weight().INT()).orElseThrow();
      weight = Optional.of(new NumberLit(n.value(), n.text(), span(ctx.weight())));
    }
    return Optional.of(new RouteStmt.Target(service.get(), subset, weight, span(ctx)));
  }

  private Optional<Boolean> direction(HeaderDirectionContext ctx) {
    if (ctx == null || hasErrors(ctx)) {
      return Optional.empty();
    }
    return Optional.of(ctx.RESPONSE_HEADER() != null);
  }

  // ------------------------------------------------------------------ leaves

  private Optional<Name> name(NameContext ctx) {
    if (ctx == null || ctx.getChildCount() != 1 || !(ctx.getChild(0) instanceof TerminalNode t)) {
      return Optional.empty();
    }
    return token(t).map(tok -> new Name(tok.getText(), Spans.of(source, tok)));
  }

  /** A Service port by name or by number; both are kept as a name for the catalog to resolve. */
  private Optional<Name> kubernetesPort(KubernetesPortContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    if (ctx.INT() != null) {
      return token(ctx.INT()).map(tok -> new Name(tok.getText(), Spans.of(source, tok)));
    }
    return name(ctx.name());
  }

  private Optional<StringLit> string(StringContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    return token(ctx.STRING())
        .map(t -> new StringLit(unquote(t.getText()), t.getText(), Spans.of(source, t)));
  }

  private Optional<NumberLit> number(TerminalNode node) {
    return token(node)
        .map(t -> {
          BigInteger value = new BigInteger(t.getText());
          long saturated = value.bitLength() < 63 ? value.longValue() : Long.MAX_VALUE;
          return new NumberLit(saturated, t.getText(), Spans.of(source, t));
        });
  }

  private Optional<DurationLit> duration(DurationContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    return token(ctx.DIGIT_WORD()).map(t -> new DurationLit(t.getText(), Spans.of(source, t)));
  }

  /** A real token: not missing, and not one ANTLR made up during recovery. */
  private static Optional<Token> token(TerminalNode node) {
    if (node == null || node instanceof ErrorNode || node.getSymbol().getTokenIndex() < 0) {
      return Optional.empty();
    }
    return Optional.of(node.getSymbol());
  }

  private static boolean isError(TerminalNode node) {
    return token(node).isEmpty();
  }

  private static boolean hasErrors(ParserRuleContext ctx) {
    return ctx.exception != null || hasErrorNodes(ctx);
  }

  private static boolean hasErrorNodes(ParseTree tree) {
    if (tree instanceof ErrorNode) {
      return true;
    }
    for (int i = 0; i < tree.getChildCount(); i++) {
      if (hasErrorNodes(tree.getChild(i))) {
        return true;
      }
    }
    return false;
  }

  private static <C, T> List<T> all(List<C> contexts, Function<C, Optional<T>> build) {
    List<T> out = new ArrayList<>();
    for (C c : contexts) {
      build.apply(c).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Strips the quotes; {@code \"} and {@code \\} are the only escapes (regexes keep {@code \.}).
   */
  static String unquote(String raw) {
    String body = terminated(raw) ? raw.substring(1, raw.length() - 1) : raw.substring(1);
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\'
          && i + 1 < body.length()
          && (body.charAt(i + 1) == '"' || body.charAt(i + 1) == '\\')) {
        sb.append(body.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Whether a string token has its closing quote (the lexer also accepts unterminated ones). */
  static boolean terminated(String raw) {
    return StringTokens.terminated(raw);
  }

  private Span span(ParserRuleContext ctx) {
    return span(ctx.start, ctx.stop);
  }

  private Span span(Token first, Token last) {
    return Spans.between(source, first, last);
  }
}
