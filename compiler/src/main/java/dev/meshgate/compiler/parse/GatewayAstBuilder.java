package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Gateways, hosts, routes and the statements of a route or call body. */
final class GatewayAstBuilder extends AstLeaves {
  GatewayAstBuilder(Source source) {
    super(source);
  }

  Optional<Decl> gateway(GatewayDeclContext ctx) {
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
        } else if (stmt.routeStmt() != null) {
          routeStmt(stmt.routeStmt()).map(GatewayStmt.RouteSetting::new).ifPresent(body::add);
        } else if (stmt.certificateStmt() != null) {
          TlsAstBuilder.certificate(this, stmt.certificateStmt()).ifPresent(body::add);
        } else if (stmt.jwtProviderDecl() != null) {
          JwtAstBuilder.provider(this, stmt.jwtProviderDecl()).ifPresent(body::add);
        } else if (stmt.apiKeysDecl() != null) { // api keys (issue 12)
          ApiKeyAstBuilder.provider(this, stmt.apiKeysDecl()).ifPresent(body::add);
        } else if (stmt.oidcProviderDecl() != null) { // oidc login (issue 12)
          OidcAstBuilder.provider(this, stmt.oidcProviderDecl()).ifPresent(body::add);
        } else if (stmt.basicAuthDecl() != null) { // basic auth (issue 12)
          BasicAuthAstBuilder.provider(this, stmt.basicAuthDecl()).ifPresent(body::add);
        } else if (stmt.zoneStmt() != null) {
          zone(stmt.zoneStmt()).ifPresent(body::add);
        } else if (stmt.accessLogStmt() != null) { // access logs (issue 15)
          AccessLogAstBuilder.accessLog(this, stmt.accessLogStmt())
              .map(GatewayStmt.AccessLog::new)
              .ifPresent(body::add);
        } else if (stmt.limitStmt() != null) { // request limits (issue 13)
          BoundaryAstBuilder.limit(this, stmt.limitStmt()).ifPresent(body::add);
        } else if (stmt.tracingDecl() != null) {
          TracingAstBuilder.tracing(this, stmt.tracingDecl())
              .map(GatewayStmt.TracingSetting::new)
              .ifPresent(body::add);
        } else if (stmt.rateLimitServiceStmt() != null) { // global rate limits (issue 13)
          RateLimitAstBuilder.service(this, stmt.rateLimitServiceStmt()).ifPresent(body::add);
        } else if (stmt.extAuthzDecl() != null) { // external authorization (issue 12)
          ExtAuthzAstBuilder.provider(this, stmt.extAuthzDecl()).ifPresent(body::add);
        }
      }
    }
    return Optional.of(new GatewayDecl(name.get(), body, span(ctx.start, ctx.name().stop)));
  }

  Optional<GatewayStmt> listen(ListenStmtContext ctx) {
    Optional<NumberLit> port = number(ctx.portNumber() == null ? null : ctx.portNumber().INT());
    if (port.isEmpty()) {
      return Optional.empty();
    }
    Optional<GatewayStmt.Address> address =
        token(ctx.IPV4()).map(t -> new GatewayStmt.Address(t.getText(), Spans.of(source, t)));
    if (ctx.listenMode() == null) {
      return Optional.of(new GatewayStmt.Listen(address, port.get(), span(ctx)));
    }
    Optional<GatewayStmt.ListenMode> mode = TlsAstBuilder.listenMode(this, ctx.listenMode());
    if (mode.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new GatewayStmt.Listen(address, port.get(), span(ctx.start, ctx.portNumber().stop), mode));
  }

  Optional<GatewayStmt> host(HostDeclContext ctx) {
    List<StringLit> domains = all(ctx.string(), this::string);
    if (domains.isEmpty() || domains.size() != ctx.string().size()) {
      return Optional.empty();
    }
    List<RouteDecl> routes = new ArrayList<>();
    List<RouteStmt> settings = new ArrayList<>();
    if (ctx.hostBody() != null) {
      for (HostStmtContext stmt : ctx.hostBody().hostStmt()) {
        if (stmt.routeDecl() != null) {
          route(stmt.routeDecl()).ifPresent(routes::add);
        } else if (stmt.routeStmt() != null) {
          routeStmt(stmt.routeStmt()).ifPresent(settings::add);
        }
      }
    }
    StringContext last = ctx.string().getLast();
    return Optional.of(
        new GatewayStmt.Host(
            domains.getFirst(),
            routes,
            span(ctx.start, last.stop),
            domains.subList(1, domains.size()),
            settings));
  }

  Optional<RouteDecl> route(RouteDeclContext ctx) {
    List<RouteDecl.Alternative> alternatives = new ArrayList<>();
    for (RouteMatchContext m : ctx.routeMatch()) {
      Optional<RouteDecl.Alternative> alternative = alternative(m);
      if (alternative.isEmpty()) {
        return Optional.empty();
      }
      alternatives.add(alternative.get());
    }
    if (alternatives.isEmpty()) {
      return Optional.empty();
    }
    List<RouteStmt> body = new ArrayList<>();
    if (ctx.routeBody() != null) {
      body.addAll(all(ctx.routeBody().routeStmt(), this::routeStmt));
    }
    RouteDecl.Alternative first = alternatives.getFirst();
    // The route's span is its whole header, every alternative included.
    Span span = span(ctx.start, ctx.routeMatch().getLast().stop);
    return Optional.of(
        new RouteDecl(
            first.methods(),
            first.path(),
            first.conditions(),
            body,
            span,
            alternatives.subList(1, alternatives.size())));
  }

  /** One alternative: {@code [METHOD…] PATH [when COND and …]}. */
  Optional<RouteDecl.Alternative> alternative(RouteMatchContext ctx) {
    List<Name> methods = new ArrayList<>();
    for (TerminalNode m : ctx.METHOD()) {
      token(m).ifPresent(t -> methods.add(new Name(t.getText(), Spans.of(source, t))));
    }
    Optional<RouteDecl.PathPattern> path = path(ctx.pathMatch());
    if (path.isEmpty()) {
      return Optional.empty();
    }
    List<RouteDecl.Condition> conditions = new ArrayList<>();
    if (ctx.conditions() != null) {
      conditions.addAll(all(ctx.conditions().condition(), this::condition));
      if (conditions.size() != ctx.conditions().condition().size()
          || isError(ctx.conditions().WHEN())) {
        return Optional.empty();
      }
    }
    return Optional.of(new RouteDecl.Alternative(methods, path.get(), conditions, span(ctx)));
  }

  Optional<RouteDecl.PathPattern> path(PathMatchContext ctx) {
    if (ctx instanceof PlainPathContext p) {
      return token(p.PATH())
          .map(t -> new RouteDecl.PathPattern.Literal(t.getText(), Spans.of(source, t)));
    }
    if (ctx instanceof RegexPathContext r) {
      return string(r.string()).map(s -> new RouteDecl.PathPattern.Regex(s, span(r)));
    }
    return Optional.empty();
  }

  Optional<RouteDecl.Condition> condition(ConditionContext ctx) {
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

  Optional<RouteStmt> routeStmt(RouteStmtContext ctx) {
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
      case RewriteHostStmtContext r ->
          string(r.string()).map(h -> (RouteStmt) new RouteStmt.HostRewrite(h, span));
      case RewriteHostToEndpointStmtContext r ->
          Optional.of((RouteStmt) new RouteStmt.HostRewriteToEndpoint(span));
      case RewriteMatchedPrefixStmtContext r ->
          string(r.string()).map(p -> (RouteStmt) new RouteStmt.PathRewrite(false, p, span));
      case RewritePathStmtContext r ->
          string(r.string()).map(p -> (RouteStmt) new RouteStmt.PathRewrite(true, p, span));
      case TimeoutStmtContext t ->
          timeoutValue(t.timeoutValue()).map(d -> new RouteStmt.Timeout(d, span));
      case BackendTimeoutStmtContext t ->
          duration(t.duration()).map(d -> new RouteStmt.BackendTimeout(d, span));
      case FaultStmtContext f -> fault(f.faultSpec(), span);
      case RetryStmtContext r -> retry(r.retrySpec(), span);
      case SetHeaderStmtContext s -> {
        Optional<StringLit> name = string(s.string(0));
        Optional<StringLit> value = s.string().size() > 1 ? string(s.string(1)) : Optional.empty();
        yield direction(s.headerDirection()).isPresent() && name.isPresent() && value.isPresent()
            ? Optional.of(
                new RouteStmt.HeaderChange(
                    RouteStmt.HeaderOp.SET,
                    direction(s.headerDirection()).get(),
                    name.get(),
                    value,
                    span))
            : Optional.empty();
      }
      case AddHeaderStmtContext s -> {
        Optional<StringLit> name = string(s.string(0));
        Optional<StringLit> value = s.string().size() > 1 ? string(s.string(1)) : Optional.empty();
        yield direction(s.headerDirection()).isPresent() && name.isPresent() && value.isPresent()
            ? Optional.of(
                new RouteStmt.HeaderChange(
                    RouteStmt.HeaderOp.ADD,
                    direction(s.headerDirection()).get(),
                    name.get(),
                    value,
                    span))
            : Optional.empty();
      }
      case RemoveHeaderStmtContext s -> {
        Optional<StringLit> name = string(s.string());
        yield direction(s.headerDirection()).isPresent() && name.isPresent()
            ? Optional.of(
                new RouteStmt.HeaderChange(
                    RouteStmt.HeaderOp.REMOVE,
                    direction(s.headerDirection()).get(),
                    name.get(),
                    Optional.empty(),
                    span))
            : Optional.empty();
      }
      case RedirectStmtContext s when s.redirectSpec() instanceof RedirectPartsContext r ->
          RedirectPartsAst.redirect(this, r, span);
      case RedirectStmtContext s when s.redirectSpec() instanceof RedirectLocationContext r -> {
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
      case CorsStmtContext c -> TlsAstBuilder.cors(this, c, span);
      case MirrorStmtContext m -> mirror(m.target(), span);
      case RequireJwtStmtContext r -> JwtAstBuilder.require(this, r, span);
      case RequireNoneStmtContext r -> JwtAstBuilder.requireNone(r, span);
      case RequireOidcStmtContext r -> OidcAstBuilder.require(this, r, span); // oidc login
      case JwtRuleStmtContext r -> JwtAstBuilder.rule(this, r, span);
      case RequireApiKeyStmtContext r -> ApiKeyAstBuilder.require(this, r, span); // api keys
      case RequireBasicAuthStmtContext r -> BasicAuthAstBuilder.require(this, r, span);
      case HashByStmtContext h -> hashBy(h.hashSource(), span);
      case RouteClusterStmtContext c ->
          new ClusterAstBuilder(source)
              .clusterStmt(c.clusterStmt())
              .map(RouteStmt.ClusterSetting::new);
      case RateLimitStmtContext r -> RateLimitAstBuilder.rateLimit(this, r.rateLimitSpec(), span);
      case CompressStmtContext c -> BoundaryAstBuilder.compress(this, c, span); // issue 13
      case MaxRequestBodyStmtContext m -> BoundaryAstBuilder.maxRequestBody(this, m, span);
      case TraceStmtContext t -> TracingAstBuilder.traceSample(this, t.weight(), span);
      case RequireExtAuthzStmtContext r -> ExtAuthzAstBuilder.require(this, r, span); // issue 12
      case ExtAuthzOffStmtContext o -> ExtAuthzAstBuilder.off(this, o, span);
      case ErrorResponseStmtContext e -> ErrorResponseAstBuilder.errorResponse(this, e, span);
      case GrpcJsonStmtContext g -> BoundaryAstBuilder.grpcJson(this, g.grpcJsonSpec(), span);
      case GrpcWebStmtContext g -> Optional.of(new RouteStmt.GrpcWeb(span)); // issue 13
      default -> Optional.empty();
    };
  }

  /** {@code zone "eu-1a"}, on a gateway or inside a sidecar block. */
  Optional<GatewayStmt.Zone> zone(ZoneStmtContext ctx) {
    return hasErrors(ctx)
        ? Optional.empty()
        : string(ctx.string()).map(z -> new GatewayStmt.Zone(z, span(ctx)));
  }

  /** {@code hash-by header "h"}, {@code hash-by cookie "c" [ttl D]}, {@code hash-by source-ip}. */
  Optional<RouteStmt> hashBy(@org.jspecify.annotations.Nullable HashSourceContext ctx, Span span) {
    if (ctx == null || hasErrors(ctx)) {
      return Optional.empty();
    }
    return switch (ctx) {
      case HeaderHashContext h ->
          string(h.string())
              .map(n ->
                  new RouteStmt.HashBy(
                      RouteStmt.HashBy.Kind.HEADER, Optional.of(n), Optional.empty(), span));
      case CookieHashContext c -> {
        Optional<StringLit> name = string(c.string());
        Optional<DurationLit> ttl = duration(c.duration());
        yield name.isEmpty() || (c.TTL() != null && ttl.isEmpty())
            ? Optional.empty()
            : Optional.of(new RouteStmt.HashBy(RouteStmt.HashBy.Kind.COOKIE, name, ttl, span));
      }
      case SourceIpHashContext ip ->
          Optional.of(
              new RouteStmt.HashBy(
                  RouteStmt.HashBy.Kind.SOURCE_IP, Optional.empty(), Optional.empty(), span));
      default -> Optional.empty();
    };
  }

  Optional<RouteStmt> mirror(TargetContext target, Span span) {
    return target == null
        ? Optional.empty()
        : target(target).map(t -> new RouteStmt.Mirror(t, span));
  }

  Optional<RouteStmt> retry(RetrySpecContext r, Span span) {
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
    Optional<DurationLit> backoff = Optional.empty();
    Optional<DurationLit> backoffMax = Optional.empty();
    boolean idempotent = false;
    // A repeated option keeps its first value, as a repeated statement does.
    for (RetryOptionContext option : r.retryOption()) {
      if (hasErrors(option)) {
        return Optional.empty();
      }
      switch (option) {
        case RetryPerTryContext p -> {
          Optional<DurationLit> d = duration(p.duration());
          if (d.isEmpty()) {
            return Optional.empty();
          }
          perTry = perTry.or(() -> d);
        }
        case RetryBackoffContext b -> {
          Optional<DurationLit> base = duration(b.duration(0));
          Optional<DurationLit> max = b.MAX() == null ? Optional.empty() : duration(b.duration(1));
          if (base.isEmpty() || (b.MAX() != null && max.isEmpty())) {
            return Optional.empty();
          }
          if (backoff.isEmpty()) {
            backoff = base;
            backoffMax = max;
          }
        }
        case RetryIdempotentContext i -> idempotent = true;
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(
        new RouteStmt.Retry(attempts.get(), on, perTry, span, backoff, backoffMax, idempotent));
  }

  /** {@code fault delay 2s 10% …} / {@code fault abort [grpc] 503 10% …}. */
  Optional<RouteStmt> fault(FaultSpecContext f, Span span) {
    if (f == null || hasErrors(f)) {
      return Optional.empty();
    }
    return switch (f) {
      case DelayFaultContext d -> {
        Optional<DurationLit> delay = duration(d.duration());
        yield delay.map(x ->
            new RouteStmt.Fault(
                RouteStmt.Fault.Kind.DELAY,
                delay,
                Optional.empty(),
                false,
                percent(d.weight()),
                faultHeader(d.faultHeader()),
                span));
      }
      case AbortFaultContext a -> {
        Optional<NumberLit> status = number(a.statusCode() == null ? null : a.statusCode().INT());
        yield status.map(x ->
            new RouteStmt.Fault(
                RouteStmt.Fault.Kind.ABORT,
                Optional.empty(),
                status,
                a.GRPC() != null,
                percent(a.weight()),
                faultHeader(a.faultHeader()),
                span));
      }
      default -> Optional.empty();
    };
  }

  Optional<NumberLit> percent(@org.jspecify.annotations.Nullable WeightContext w) {
    if (w == null) {
      return Optional.empty();
    }
    return number(w.INT()).map(n -> new NumberLit(n.value(), n.text(), span(w)));
  }

  private Optional<StringLit> faultHeader(FaultHeaderContext h) {
    return h == null ? Optional.empty() : string(h.string());
  }

  Optional<RouteStmt.Target> target(TargetContext ctx) {
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

  Optional<Boolean> direction(HeaderDirectionContext ctx) {
    if (ctx == null || hasErrors(ctx)) {
      return Optional.empty();
    }
    return Optional.of(ctx.RESPONSE_HEADER() != null);
  }
}
