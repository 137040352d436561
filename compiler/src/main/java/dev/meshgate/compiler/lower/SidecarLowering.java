package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.RuleDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.check.PolicyChecker;
import dev.meshgate.compiler.ir.AddressIr;
import dev.meshgate.compiler.ir.AuthzRuleIr;
import dev.meshgate.compiler.ir.ClusterIr;
import dev.meshgate.compiler.ir.GrpcIr;
import dev.meshgate.compiler.ir.InboundAuthzIr;
import dev.meshgate.compiler.ir.MeshIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PrincipalIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteBoundaryIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.RouteMatchIr;
import dev.meshgate.compiler.ir.RouteSecurityIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.SidecarIr;
import dev.meshgate.compiler.ir.TcpOutboundIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import dev.meshgate.compiler.setting.RouteParts;
import dev.meshgate.compiler.setting.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Lowers one service's sidecar: its inbound listener and authorization, and an outbound side that
 * holds only what the service may call (its {@code call}s and the services its {@code allow} rules
 * let it reach).
 */
final class SidecarLowering {
  private SidecarLowering() {}

  static SidecarIr sidecar(SidecarInputs in, SidecarReads reads) {
    ServiceIr service = in.service();
    ServiceStmt.Sidecar decl = in.decl();
    List<RuleDecl> rules = in.rules();
    List<CallDecl> calls = in.calls();
    String name = service.name();
    MeshIr mesh = in.mesh();
    AddressIr inbound = null;
    AddressIr app = null;
    AddressIr outbound =
        new AddressIr(PolicyChecker.DEFAULT_OUTBOUND_ADDRESS, PolicyChecker.DEFAULT_OUTBOUND_PORT);
    java.util.Set<ServiceStmt.SidecarStmt.Kind> seen =
        java.util.EnumSet.noneOf(ServiceStmt.SidecarStmt.Kind.class);
    for (ServiceStmt.SidecarStmt stmt : decl.body()) {
      if (!seen.add(stmt.kind())) {
        continue;
      }
      int port = (int) stmt.port().value();
      switch (stmt.kind()) {
        case INBOUND ->
            inbound =
                new AddressIr(
                    stmt.address().map(GatewayStmt.Address::text).orElse(Lowering.ANY_ADDRESS),
                    port);
        case APP ->
            app =
                new AddressIr(
                    stmt.address().map(GatewayStmt.Address::text).orElse(Lowering.LOOPBACK), port);
        case OUTBOUND ->
            outbound =
                new AddressIr(
                    stmt.address().map(GatewayStmt.Address::text).orElse(Lowering.LOOPBACK), port);
      }
    }

    // Inbound authorization: the rules whose destination is this service, in policy order.
    Map<String, AuthzRuleIr> deny = new java.util.LinkedHashMap<>();
    Map<String, AuthzRuleIr> shadow = new java.util.LinkedHashMap<>();
    Map<String, AuthzRuleIr> allow = new java.util.LinkedHashMap<>();
    for (RuleDecl rule : rules) {
      if (!rule.destination().text().equals(name)) {
        continue;
      }
      AuthzRuleIr ir = authzRule(rule, mesh, reads);
      var target = rule.effect() == RuleDecl.Effect.ALLOW ? allow : rule.isDryRun() ? shadow : deny;
      target.putIfAbsent(ir.name(), ir); // a repeated rule (warned about) is one policy
    }
    InboundAuthzIr authz =
        new InboundAuthzIr(
            mesh.authzDefault(),
            List.copyOf(deny.values()),
            List.copyOf(shadow.values()),
            List.copyOf(allow.values()));

    // Outbound: only what this service may call.
    Map<String, CallDecl> callsByCallee = new TreeMap<>();
    // Spans, formatted as file:line:col only for the callee's one route: most callees have both
    // a call and an allow rule, and the text of the one not kept is never needed.
    Map<String, Span> origins = new TreeMap<>();
    for (CallDecl call : calls) {
      if (call.caller().text().equals(name)) {
        callsByCallee.putIfAbsent(call.callee().text(), call);
        origins.putIfAbsent(call.callee().text(), call.span());
      }
    }
    for (RuleDecl rule : rules) {
      if (rule.effect() == RuleDecl.Effect.ALLOW
          && rule.source() instanceof RuleDecl.Source.Named n
          && n.name().text().equals(name)) {
        origins.putIfAbsent(rule.destination().text(), rule.span());
      }
    }
    List<VirtualHostIr> hosts = new ArrayList<>();
    List<ClusterIr> clusters = new ArrayList<>();
    List<TcpOutboundIr> tcp = new ArrayList<>();
    Map<String, ClusterIr> mirrorClusters = new TreeMap<>();
    final AddressIr outboundAddress = outbound;
    origins.forEach((callee, origin) -> {
      ServiceIr target = reads.service(callee);
      Optional<CallDecl> call = Optional.ofNullable(callsByCallee.get(callee));
      if (target.protocol() == Protocol.TCP) {
        // The checker made sure a call with a port exists: a local listener, no virtual host.
        RouteParts parts = new RouteParts();
        call.orElseThrow().body().forEach(stmt -> Settings.lower(stmt, parts));
        int port = parts.port().orElseThrow();
        tcp.add(
            new TcpOutboundIr(
                callee,
                new AddressIr(outboundAddress.address(), port),
                call.get().span().toString()));
        clusters.add(
            new ClusterIr(
                callee, callee, target.protocol(), new TreeMap<>(), reads.peerIdentity(callee)));
        return;
      }
      RouteParts parts = new RouteParts();
      call.map(CallDecl::body).orElse(List.of()).forEach(stmt -> Settings.lower(stmt, parts));
      for (RouteStmt.Target mirror : parts.mirrorTargets()) {
        ClusterIr c = Lowering.cluster(mirror, reads.service(mirror.service().text()));
        mirrorClusters.putIfAbsent(
            c.name(),
            new ClusterIr(
                c.name(),
                c.service(),
                c.protocol(),
                c.selector(),
                reads.peerIdentity(c.service())));
      }
      RouteIr route =
          new RouteIr(
              callee + "/1",
              origin.toString(),
              new RouteMatchIr(new PathMatchIr.Prefix("/"), List.of(), List.of(), List.of()),
              new RouteActionIr.Forward(
                  List.of(new RouteActionIr.WeightedClusterIr(callee, 100)),
                  parts.timeout(),
                  parts.retry(),
                  Optional.empty(),
                  parts.backendTimeout(),
                  parts.fault(),
                  Optional.empty(),
                  parts.mirrors(),
                  parts.hashPolicies()),
              List.of(),
              RouteSecurityIr.NONE,
              new RouteBoundaryIr(
                  parts.rateLimit(),
                  Optional.empty(),
                  Optional.empty(),
                  List.of(),
                  GrpcIr.NONE,
                  parts.traceSample()));
      hosts.add(new VirtualHostIr(callee, List.of(callee), List.of(route)));
      clusters.add(
          new ClusterIr(
              callee, callee, target.protocol(), new TreeMap<>(), reads.peerIdentity(callee)));
    });
    // A mirror towards a service the sidecar does not call needs a cluster of its own.
    java.util.Set<String> called = new java.util.HashSet<>();
    clusters.forEach(c -> called.add(c.name()));
    mirrorClusters.values().stream().filter(c -> called.add(c.name())).forEach(clusters::add);
    // Every cluster carries its service's cluster settings, a subset's and this caller's call's
    // on top (issue 14).
    clusters.replaceAll(c ->
        c.withSettings(
            ClusterOverrides.ofCall(
                reads.service(c.service()),
                c.name(),
                Optional.ofNullable(callsByCallee.get(c.service())))));
    clusters.sort(Comparator.comparing(ClusterIr::name));
    return new SidecarIr(
        name,
        mesh.serviceIdentity(name),
        service.protocol(),
        Objects.requireNonNull(inbound, "the checker requires a sidecar's inbound"),
        Objects.requireNonNull(app, "the checker requires a sidecar's app"),
        outbound,
        mesh.mtls(),
        authz,
        hosts,
        clusters,
        tcp,
        LocalityLowering.zone(decl),
        AccessLogLowering.lower(decl.accessLogs(), name),
        Optional.empty()); // TracingLowering.withTracing sets it
  }

  private static AuthzRuleIr authzRule(RuleDecl rule, MeshIr mesh, SidecarReads reads) {
    PrincipalIr principal =
        switch (rule.source()) {
          case RuleDecl.Source.Any any ->
              mesh.mtls() == MeshIr.Mtls.STRICT
                  ? new PrincipalIr.AnyAuthenticated()
                  : new PrincipalIr.AnyPeer();
          case RuleDecl.Source.Named n ->
              new PrincipalIr.Identity(
                  reads.isGateway(n.name().text())
                      ? mesh.gatewayIdentity(n.name().text())
                      : mesh.serviceIdentity(n.name().text()));
        };
    List<String> methods = rule.methods().stream().map(Name::text).distinct().toList();
    List<PathMatchIr> paths =
        rule.paths().stream().map(p -> p.text()).distinct().map(Lowering::literalPath).toList();
    StringBuilder name =
        new StringBuilder(rule.source().text()).append(" -> ").append(rule.destination().text());
    methods.forEach(m -> name.append(' ').append(m));
    if (!rule.paths().isEmpty()) {
      name.append(' ')
          .append(String.join(", ", rule.paths().stream().map(p -> p.text()).distinct().toList()));
    }
    return new AuthzRuleIr(name.toString(), rule.span().toString(), principal, methods, paths);
  }
}
