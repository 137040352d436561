package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
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
 * Parse tree → syntax tree. After a syntax error the parse tree may lack children or hold
 * tokens ANTLR conjured up while recovering; any node missing a required part is dropped
 * (its error was already reported), so the checker sees only what was really written.
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

  private Optional<ServiceStmt> source(SourceStmtContext ctx) {
    SourceKindContext kind = ctx.sourceKind();
    Span span = span(ctx);
    if (kind instanceof StaticSourceContext s) {
      List<ServiceStmt.Endpoint> endpoints = all(s.endpoint(), this::endpoint);
      return endpoints.isEmpty() ? Optional.empty() : Optional.of(new ServiceStmt.StaticSource(endpoints, span));
    }
    if (kind instanceof ConsulSourceContext c) {
      return string(c.string()).map(name -> new ServiceStmt.ConsulSource(name, span));
    }
    if (kind instanceof KubernetesSourceContext k) {
      Optional<StringLit> ref = string(k.string());
      Optional<Name> port = k.PORT() != null ? name(k.name()) : Optional.empty();
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
    return Optional.of(new ServiceStmt.Endpoint(host.getText(), span(host), port.get(), labels, span(ctx)));
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
    return ctx.name() != null ? name(ctx.name()).map(Name::text) : string(ctx.string()).map(StringLit::value);
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
    return Optional.of(new GatewayStmt.Host(host.get(), routes, span(ctx.start, ctx.string().stop)));
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
      if (conditions.size() != ctx.conditions().condition().size() || isError(ctx.conditions().WHEN())) {
        return Optional.empty();
      }
      headerEnd = ctx.conditions().stop;
    }
    List<RouteStmt> body = new ArrayList<>();
    if (ctx.routeBody() != null) {
      body.addAll(all(ctx.routeBody().routeStmt(), this::routeStmt));
    }
    return Optional.of(new RouteDecl(methods, path.get(), conditions, body, span(ctx.start, headerEnd)));
  }

  private Optional<RouteDecl.PathPattern> path(PathMatchContext ctx) {
    if (ctx instanceof PlainPathContext p) {
      return token(p.PATH()).map(t -> new RouteDecl.PathPattern.Literal(t.getText(), Spans.of(source, t)));
    }
    if (ctx instanceof RegexPathContext r) {
      return string(r.string()).map(s -> new RouteDecl.PathPattern.Regex(s, span(r)));
    }
    return Optional.empty();
  }

  private Optional<RouteDecl.Condition> condition(ConditionContext ctx) {
    Optional<StringLit> name = string(ctx.string(0));
    Optional<StringLit> value = ctx.string().size() > 1 ? string(ctx.string(1)) : Optional.empty();
    if (ctx.conditionKind() == null || hasErrors(ctx.conditionKind()) || ctx.op == null || name.isEmpty() || value.isEmpty()) {
      return Optional.empty();
    }
    var kind = ctx.conditionKind().HEADER() != null ? RouteDecl.Condition.Kind.HEADER : RouteDecl.Condition.Kind.QUERY;
    return Optional.of(new RouteDecl.Condition(kind, name.get(), ctx.op.getType() == MeshParser.TILDE, value.get(), span(ctx)));
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
      case RetryStmtContext r -> retry(r, span);
      case SetHeaderStmtContext s -> {
        Optional<StringLit> name = string(s.string(0));
        Optional<StringLit> value = s.string().size() > 1 ? string(s.string(1)) : Optional.empty();
        yield direction(s.headerDirection()).isPresent() && name.isPresent() && value.isPresent()
            ? Optional.of(new RouteStmt.HeaderChange(true, direction(s.headerDirection()).get(), name.get(), value, span))
            : Optional.empty();
      }
      case RemoveHeaderStmtContext s -> {
        Optional<StringLit> name = string(s.string());
        yield direction(s.headerDirection()).isPresent() && name.isPresent()
            ? Optional.of(new RouteStmt.HeaderChange(false, direction(s.headerDirection()).get(), name.get(), Optional.empty(), span))
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

  private Optional<RouteStmt> retry(RetryStmtContext r, Span span) {
    Optional<NumberLit> attempts = number(r.retryAttempts() == null ? null : r.retryAttempts().INT());
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

  private Optional<StringLit> string(StringContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    return token(ctx.STRING()).map(t -> new StringLit(unquote(t.getText()), t.getText(), Spans.of(source, t)));
  }

  private Optional<NumberLit> number(TerminalNode node) {
    return token(node)
        .map(
            t -> {
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

  /** Strips the quotes; {@code \"} and {@code \\} are the only escapes (regexes keep {@code \.}). */
  static String unquote(String raw) {
    String body = terminated(raw) ? raw.substring(1, raw.length() - 1) : raw.substring(1);
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length() && (body.charAt(i + 1) == '"' || body.charAt(i + 1) == '\\')) {
        sb.append(body.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Whether a string token has its closing quote (the lexer also accepts unterminated ones). */
  static boolean terminated(String raw) {
    return TERMINATED_STRING.matcher(raw).matches();
  }

  private static final java.util.regex.Pattern TERMINATED_STRING =
      java.util.regex.Pattern.compile("\"(?:[^\"\\\\\\r\\n]|\\\\.)*\"");

  private Span span(ParserRuleContext ctx) {
    return span(ctx.start, ctx.stop);
  }

  private Span span(Token first, Token last) {
    return Spans.between(source, first, last);
  }
}
