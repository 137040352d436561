package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ast.Decl;
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
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parse tree → syntax tree. After a syntax error the parse tree may lack children or hold tokens
 * ANTLR conjured up while recovering; any node missing a required part is dropped (its error was
 * already reported), so the checker sees only what was really written. Services, the mesh block,
 * rules and calls are built here; gateways and routes by {@link GatewayAstBuilder}, tests by {@link
 * TestAstBuilder}.
 */
final class AstBuilder extends AstLeaves {
  private final GatewayAstBuilder gateways;
  private final TestAstBuilder tests;
  private final ClusterAstBuilder clusters;

  AstBuilder(Source source) {
    super(source);
    this.gateways = new GatewayAstBuilder(source);
    this.tests = new TestAstBuilder(source, gateways);
    this.clusters = new ClusterAstBuilder(source);
  }

  PolicyFile build(PolicyContext tree, boolean complete) {
    List<Decl> decls = new ArrayList<>();
    for (DeclContext decl : tree.decl()) {
      if (decl.serviceDecl() != null) {
        service(decl.serviceDecl()).ifPresent(decls::add);
      } else if (decl.gatewayDecl() != null) {
        gateways.gateway(decl.gatewayDecl()).ifPresent(decls::add);
      } else if (decl.meshDecl() != null) {
        mesh(decl.meshDecl()).ifPresent(decls::add);
      } else if (decl.ruleDecl() != null) {
        rule(decl.ruleDecl()).ifPresent(decls::add);
      } else if (decl.callDecl() != null) {
        call(decl.callDecl()).ifPresent(decls::add);
      } else if (decl.testDecl() != null) {
        tests.test(decl.testDecl()).ifPresent(decls::add);
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
    if (ctx.tracingDecl() != null) {
      return TracingAstBuilder.tracing(gateways, ctx.tracingDecl())
          .map(ServiceStmt.TracingSetting::new);
    }
    if (ctx.clusterStmt() != null) {
      return clusters.clusterStmt(ctx.clusterStmt()).map(ServiceStmt.ClusterSetting::new);
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
      List<ClusterStmt> cluster =
          s.subsetBody() == null
              ? List.of()
              : s.subsetBody().clusterStmt().stream()
                  .flatMap(c -> clusters.clusterStmt(c).stream())
                  .toList();
      // The span covers the header: a body's statements have spans of their own.
      Span header = span(s.start, s.selector(s.selector().size() - 1).stop);
      return Optional.of(new ServiceStmt.SubsetStmt(name.get(), where, cluster, header));
    }
    return Optional.empty();
  }

  private Optional<ServiceStmt> sidecar(SidecarDeclContext ctx) {
    List<ServiceStmt.SidecarStmt> body = new ArrayList<>();
    List<dev.meshgate.compiler.ast.GatewayStmt.Zone> zones = new ArrayList<>();
    List<dev.meshgate.compiler.ast.AccessLogSpec> logs = new ArrayList<>();
    if (ctx.sidecarBody() != null) {
      body.addAll(all(ctx.sidecarBody().sidecarStmt(), this::sidecarStmt));
      ctx.sidecarBody().zoneStmt().forEach(z -> gateways.zone(z).ifPresent(zones::add));
      ctx.sidecarBody() // access logs (issue 15)
          .accessLogStmt()
          .forEach(a -> AccessLogAstBuilder.accessLog(this, a).ifPresent(logs::add));
    }
    return Optional.of(new ServiceStmt.Sidecar(body, span(ctx.start, ctx.start), zones, logs));
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
    List<ClusterStmt> cluster = new ArrayList<>();
    if (ctx.callBody() != null) {
      for (CallStmtContext stmt : ctx.callBody().callStmt()) {
        Span span = span(stmt);
        switch (stmt) {
          case CallTimeoutStmtContext t ->
              timeoutValue(t.timeoutValue())
                  .map(d -> new RouteStmt.Timeout(d, span))
                  .ifPresent(body::add);
          case CallBackendTimeoutStmtContext t ->
              duration(t.duration())
                  .map(d -> new RouteStmt.BackendTimeout(d, span))
                  .ifPresent(body::add);
          case CallFaultStmtContext f -> gateways.fault(f.faultSpec(), span).ifPresent(body::add);
          case CallRetryStmtContext r -> gateways.retry(r.retrySpec(), span).ifPresent(body::add);
          case CallPortStmtContext p ->
              number(p.portNumber() == null ? null : p.portNumber().INT())
                  .map(n -> new RouteStmt.Port(n, span))
                  .ifPresent(body::add);
          case CallMirrorStmtContext m -> gateways.mirror(m.target(), span).ifPresent(body::add);
          case CallHashByStmtContext h ->
              gateways.hashBy(h.hashSource(), span).ifPresent(body::add);
          case CallClusterStmtContext c ->
              clusters.clusterStmt(c.clusterStmt()).ifPresent(cluster::add);
          case CallRateLimitStmtContext r ->
              RateLimitAstBuilder.rateLimit(this, r.rateLimitSpec(), span).ifPresent(body::add);
          case CallTraceStmtContext t ->
              TracingAstBuilder.traceSample(gateways, t.weight(), span).ifPresent(body::add);
          default -> {}
        }
      }
    }
    return Optional.of(
        new CallDecl(caller.get(), callee.get(), body, cluster, span(ctx.start, ctx.name(1).stop)));
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
    Optional<StringLit> hostname = Optional.empty();
    if (ctx.string() != null) {
      hostname = string(ctx.string());
      if (hostname.isEmpty()) {
        return Optional.empty();
      }
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
        new ServiceStmt.Endpoint(
            host.getText(), span(host), port.get(), hostname, labels, span(ctx)));
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
}
