package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.MeshDecl;
import dev.meshgate.compiler.ast.MeshStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.RuleDecl;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.ClusterIr;
import dev.meshgate.compiler.ir.GatewayAuthIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.MeshIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.RouteMatchIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.compiler.ir.SidecarIr;
import dev.meshgate.compiler.ir.SubsetIr;
import dev.meshgate.compiler.ir.ValueMatchIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import dev.meshgate.compiler.setting.RouteParts;
import dev.meshgate.compiler.setting.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Lowers a policy that passed {@link dev.meshgate.compiler.check.PolicyChecker} without errors to
 * IR. It trusts the checker: an unchecked or failing policy may throw.
 */
public final class Lowering {
  static final String ANY_ADDRESS = "0.0.0.0";
  static final String LOOPBACK = "127.0.0.1";

  private Lowering() {}

  public static PolicyIr lower(List<PolicyFile> files) {
    return lower(
        files,
        new Memo() {
          @Override
          public ServiceIr service(ServiceDecl decl, Function<ServiceDecl, ServiceIr> fresh) {
            return fresh.apply(decl);
          }

          @Override
          public SidecarIr sidecar(SidecarInputs inputs, SidecarReads reads) {
            return inputs.lower(reads);
          }
        });
  }

  /**
   * Where {@link #lower(List, Memo)} gets a service's and a sidecar's IR: lowered afresh, or {@link
   * IncrementalLowering}'s from the previous compile when its inputs are the same.
   */
  interface Memo {
    ServiceIr service(ServiceDecl decl, Function<ServiceDecl, ServiceIr> fresh);

    SidecarIr sidecar(SidecarInputs inputs, SidecarReads reads);
  }

  static PolicyIr lower(List<PolicyFile> files, Memo memo) {
    Map<String, ServiceIr> services = new TreeMap<>();
    Map<String, ServiceStmt.Sidecar> sidecarDecls = new TreeMap<>();
    Map<String, ServiceDecl> serviceDecls = new TreeMap<>(); // tracing (issue 15)
    List<GatewayDecl> gateways = new ArrayList<>();
    Optional<MeshDecl> meshDecl = Optional.empty();
    List<RuleDecl> rules = new ArrayList<>();
    List<CallDecl> calls = new ArrayList<>();
    for (PolicyFile file : files) {
      for (Decl decl : file.decls()) {
        switch (decl) {
          case ServiceDecl s -> {
            services.put(s.name().text(), memo.service(s, Lowering::service));
            serviceDecls.putIfAbsent(s.name().text(), s);
            s.body().stream()
                .filter(ServiceStmt.Sidecar.class::isInstance)
                .map(ServiceStmt.Sidecar.class::cast)
                .findFirst()
                .ifPresent(sc -> sidecarDecls.put(s.name().text(), sc));
          }
          case GatewayDecl g -> gateways.add(g);
          case MeshDecl m -> meshDecl = meshDecl.or(() -> Optional.of(m));
          case RuleDecl r -> rules.add(r);
          case CallDecl c -> calls.add(c);
          case dev.meshgate.compiler.ast.TestDecl
                  t -> {} // tests are never lowered: see simulate.PolicyTests
        }
      }
    }
    Optional<MeshIr> mesh =
        meshDecl.isPresent() || !sidecarDecls.isEmpty()
            ? Optional.of(mesh(meshDecl))
            : Optional.empty();
    MeshIr settings = mesh.orElseGet(MeshIr::defaults);
    Meshed meshed = new Meshed(settings, sidecarDecls.keySet());
    List<GatewayIr> gatewayIrs =
        gateways.stream()
            .map(g -> gateway(g, services, meshed))
            .sorted(Comparator.comparing(GatewayIr::name))
            .toList();
    List<SidecarIr> sidecars = new ArrayList<>();
    // Each sidecar needs only the rules and calls that name it: group them once.
    Map<String, List<RuleDecl>> rulesByName = new java.util.HashMap<>();
    for (RuleDecl rule : rules) {
      rulesByName.computeIfAbsent(rule.destination().text(), k -> new ArrayList<>()).add(rule);
      if (rule.source() instanceof RuleDecl.Source.Named n
          && !n.name().text().equals(rule.destination().text())) {
        rulesByName.computeIfAbsent(n.name().text(), k -> new ArrayList<>()).add(rule);
      }
    }
    Map<String, List<CallDecl>> callsByCaller = new java.util.HashMap<>();
    calls.forEach(
        c -> callsByCaller.computeIfAbsent(c.caller().text(), k -> new ArrayList<>()).add(c));
    java.util.Set<String> gatewayNames = new java.util.HashSet<>();
    gateways.forEach(g -> gatewayNames.add(g.name().text()));
    // Hashed copies for the sidecars' lookups (the sorted maps give the IR its order).
    Map<String, ServiceIr> byName = new java.util.HashMap<>(services);
    java.util.Set<String> meshedNames = new java.util.HashSet<>(sidecarDecls.keySet());
    sidecarDecls.forEach((name, decl) -> {
      SidecarInputs inputs =
          new SidecarInputs(
              resolved(services, name),
              decl,
              rulesByName.getOrDefault(name, List.of()),
              callsByCaller.getOrDefault(name, List.of()),
              settings,
              Optional.ofNullable(serviceDecls.get(name)).flatMap(TracingLowering::tracing));
      sidecars.add(
          memo.sidecar(inputs, new SidecarReads(byName, meshedNames, gatewayNames, settings)));
    });
    return new PolicyIr(List.copyOf(services.values()), gatewayIrs, mesh, sidecars);
  }

  private static MeshIr mesh(Optional<MeshDecl> decl) {
    MeshIr defaults = MeshIr.defaults();
    if (decl.isEmpty()) {
      return defaults;
    }
    String trustDomain = defaults.trustDomain();
    MeshIr.Mtls mtls = defaults.mtls();
    MeshIr.AuthzDefault authz = defaults.authzDefault();
    // The checker reported repeats; the first of each setting counts, as it does there.
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (MeshStmt stmt : decl.get().body()) {
      if (!seen.add(stmt.keyword())) {
        continue;
      }
      switch (stmt) {
        case MeshStmt.TrustDomain t -> trustDomain = t.domain().value();
        case MeshStmt.Mtls m ->
            mtls = MeshIr.Mtls.valueOf(m.mode().text().toUpperCase(Locale.ROOT));
        case MeshStmt.AuthzDefault a ->
            authz = MeshIr.AuthzDefault.valueOf(a.value().text().toUpperCase(Locale.ROOT));
      }
    }
    return new MeshIr(decl.get().name().map(Name::text), trustDomain, mtls, authz);
  }

  /** A service the checker resolved: lowering sees only policies whose names all resolve. */
  static ServiceIr resolved(Map<String, ServiceIr> services, String name) {
    return Objects.requireNonNull(services.get(name), () -> "unresolved service " + name);
  }

  private static ServiceIr service(ServiceDecl decl) {
    Protocol protocol = Protocol.HTTP;
    ServiceSource source = new ServiceSource.Static(List.of());
    List<SubsetIr> subsets = new ArrayList<>();
    List<dev.meshgate.compiler.ast.ClusterStmt> clusterStmts = new ArrayList<>();
    List<ServiceStmt.SubsetStmt> subsetStmts = new ArrayList<>();
    for (ServiceStmt stmt : decl.body()) {
      switch (stmt) {
        case ServiceStmt.StaticSource s -> source = StaticEndpoints.of(s);
        case ServiceStmt.ConsulSource c ->
            source =
                new ServiceSource.Consul(
                    c.service().value(),
                    c.datacenters().stream().findFirst().map(StringLit::value),
                    c.tags().stream().findFirst().map(StringLit::value));
        case ServiceStmt.KubernetesSource k -> {
          String ref = k.ref().value();
          int slash = ref.indexOf('/');
          String namespace = slash < 0 ? "default" : ref.substring(0, slash);
          String name = slash < 0 ? ref : ref.substring(slash + 1);
          source =
              new ServiceSource.Kubernetes(namespace, name, k.port().map(Name::text).orElse(""));
        }
        case ServiceStmt.ProtocolStmt p ->
            protocol = Protocol.valueOf(p.protocol().text().toUpperCase(Locale.ROOT));
        case ServiceStmt.SubsetStmt s -> subsetStmts.add(s);
        case ServiceStmt.Sidecar s -> {} // lowered into a SidecarIr of its own
        case ServiceStmt.ClusterSetting c -> clusterStmts.add(c.stmt());
        case ServiceStmt.TracingSetting t -> {} // TracingLowering.tracing
      }
    }
    for (ServiceStmt.SubsetStmt s : subsetStmts) {
      subsets.add(ClusterOverrides.subset(s, StaticEndpoints.labels(s.where()), protocol));
    }
    subsets.sort(Comparator.comparing(SubsetIr::name));
    return new ServiceIr(
        decl.name().text(),
        protocol,
        source,
        subsets,
        dev.meshgate.compiler.setting.ClusterSettings.lower(clusterStmts, protocol));
  }

  private static GatewayIr gateway(
      GatewayDecl decl, Map<String, ServiceIr> services, Meshed meshed) {
    List<ListenerIr> listeners = new ArrayList<>();
    List<VirtualHostIr> hosts = new ArrayList<>();
    Map<String, ClusterIr> clusters = new TreeMap<>();
    RouteParts gatewayDefaults = new RouteParts();
    decl.body().stream()
        .flatMap(s -> s instanceof GatewayStmt.RouteSetting r ? Stream.of(r.stmt()) : Stream.of())
        .forEach(stmt -> Settings.lower(stmt, gatewayDefaults));
    for (GatewayStmt stmt : decl.body()) {
      switch (stmt) {
        case GatewayStmt.RouteSetting s -> {}
        case GatewayStmt.Listen l ->
            listeners.add(
                TlsLowering.listener(
                    decl, l, l.address().map(GatewayStmt.Address::text).orElse(ANY_ADDRESS)));
        case GatewayStmt.Host h -> hosts.add(host(h, gatewayDefaults, services, clusters));
        case GatewayStmt.Certificate c -> {} // TlsLowering.certificates
        case GatewayStmt.JwtProvider p -> {} // JwtLowering.providers
        case GatewayStmt.ApiKeys k -> {} // ApiKeyLowering.providers
        case GatewayStmt.OidcProvider p -> {} // OidcLowering.providers
        case GatewayStmt.BasicAuth b -> {} // BasicAuthLowering.providers
        case GatewayStmt.Zone z -> {} // LocalityLowering.zone
        case GatewayStmt.AccessLog a -> {} // AccessLogLowering.gateway
        case GatewayStmt.Limit l -> {} // LimitLowering.limits
        case GatewayStmt.TracingSetting t -> {} // TracingLowering.tracing
        case GatewayStmt.RateLimitService r -> {} // GlobalRateLimitLowering.service
        case GatewayStmt.ExtAuthz e -> {} // ExtAuthzLowering.services
      }
    }
    listeners.sort(Comparator.comparingInt(ListenerIr::port));
    // Clusters towards services in the mesh originate mTLS and check the callee's identity.
    List<ClusterIr> secured =
        clusters.values().stream()
            .map(c ->
                new ClusterIr(
                    c.name(),
                    c.service(),
                    c.protocol(),
                    c.selector(),
                    meshed.peerIdentity(c.service()),
                    resolved(services, c.service()).clusterSettings(c.name())))
            .toList();
    Optional<String> identity =
        meshed.services().isEmpty()
            ? Optional.empty()
            : Optional.of(meshed.mesh().gatewayIdentity(decl.name().text()));
    var tls = TlsLowering.certificates(decl);
    return new GatewayIr(
        decl.name().text(),
        listeners,
        hosts,
        secured,
        identity,
        tls,
        LocalityLowering.zone(decl),
        AccessLogLowering.gateway(decl),
        LimitLowering.limits(decl),
        TracingLowering.tracing(decl),
        GlobalRateLimitLowering.service(decl), // global rate limits (issue 13)
        gatewayDefaults.errorResponses(), // custom responses (issue 13)
        new GatewayAuthIr( // issue 12
            JwtLowering.providers(decl),
            ApiKeyLowering.providers(decl),
            BasicAuthLowering.providers(decl),
            OidcLowering.providers(decl),
            ExtAuthzLowering.services(decl)));
  }

  private static VirtualHostIr host(
      GatewayStmt.Host host,
      RouteParts gatewayDefaults,
      Map<String, ServiceIr> services,
      Map<String, ClusterIr> clusters) {
    String name = host.host().value();
    // The host's own settings, then the gateway's where the host sets nothing: most specific wins.
    RouteParts hostDefaults = new RouteParts();
    host.settings().forEach(stmt -> Settings.lower(stmt, hostDefaults));
    hostDefaults.inherit(gatewayDefaults);
    List<RouteIr> routes = new ArrayList<>();
    int index = 1;
    for (RouteDecl route : host.routes()) {
      // Alternatives are Envoy routes of their own, in order, with the same action: the first
      // keeps the route's name, the others add their number ("host/3", "host/3.2").
      List<RouteDecl.Alternative> alternatives = route.alternatives();
      for (int a = 0; a < alternatives.size(); a++) {
        String routeName = name + "/" + index + (a == 0 ? "" : "." + (a + 1));
        routes.add(route(routeName, alternatives.get(a), route, hostDefaults, services, clusters));
      }
      index++;
    }
    List<String> domains = host.domains().stream().map(StringLit::value).toList();
    return new VirtualHostIr(name, domains, routes);
  }

  private static RouteIr route(
      String name,
      RouteDecl.Alternative alternative,
      RouteDecl route,
      RouteParts defaults,
      Map<String, ServiceIr> services,
      Map<String, ClusterIr> clusters) {
    PathMatchIr path =
        switch (alternative.path()) {
          case RouteDecl.PathPattern.Literal l -> literalPath(l.text());
          case RouteDecl.PathPattern.Regex r -> new PathMatchIr.Regex(r.regex().value());
        };
    List<ValueMatchIr> headers = new ArrayList<>();
    List<ValueMatchIr> queries = new ArrayList<>();
    for (RouteDecl.Condition c : alternative.conditions()) {
      var match =
          new ValueMatchIr(
              // Header names are case-insensitive (lowered); query parameter names are not.
              c.kind() == RouteDecl.Condition.Kind.HEADER
                  ? c.name().value().toLowerCase(java.util.Locale.ROOT)
                  : c.name().value(),
              c.regex() ? ValueMatchIr.Kind.REGEX : ValueMatchIr.Kind.EXACT,
              c.value().value());
      (c.kind() == RouteDecl.Condition.Kind.HEADER ? headers : queries).add(match);
    }
    RouteMatchIr match =
        new RouteMatchIr(
            path, alternative.methods().stream().map(Name::text).toList(), headers, queries);

    RouteParts parts = new RouteParts();
    route.body().forEach(stmt -> Settings.lower(stmt, parts));
    parts.inherit(defaults);
    List<RouteStmt.Target> targets = parts.targets();
    RouteActionIr action = parts.action().orElse(null);
    if (action == null) {
      List<RouteActionIr.WeightedClusterIr> weighted = new ArrayList<>();
      for (RouteStmt.Target t : targets) {
        String cluster = t.cluster();
        clusters.putIfAbsent(cluster, cluster(t, services));
        int weight =
            targets.size() == 1
                ? t.weight().map(w -> (int) w.value()).orElse(100)
                : (int) t.weight().orElseThrow().value();
        weighted.add(new RouteActionIr.WeightedClusterIr(cluster, weight));
      }
      parts.mirrorTargets().forEach(t -> clusters.putIfAbsent(t.cluster(), cluster(t, services)));
      action =
          new RouteActionIr.Forward(
              weighted,
              parts.timeout(),
              parts.retry(),
              parts.rewrite(),
              parts.backendTimeout(),
              parts.fault(),
              parts.hostRewrite(),
              parts.mirrors(),
              parts.hashPolicies());
    }
    return parts.route(name, alternative.span().toString(), match, action);
  }

  /** The cluster of a target: the service, or one subset of it. */
  static ClusterIr cluster(RouteStmt.Target t, Map<String, ServiceIr> services) {
    return cluster(t, resolved(services, t.service().text()));
  }

  /** The cluster of a route target towards {@code service}, the target's service. */
  static ClusterIr cluster(RouteStmt.Target t, ServiceIr service) {
    var selector =
        t.subset()
            .flatMap(
                s -> service.subsets().stream().filter(x -> x.name().equals(s.text())).findFirst())
            .map(SubsetIr::selector)
            .orElse(java.util.Collections.emptySortedMap());
    return new ClusterIr(t.cluster(), service.name(), service.protocol(), selector);
  }

  /** {@code /**} → prefix "/", {@code /api/**} → prefix "/api", anything else exact. */
  static PathMatchIr literalPath(String text) {
    if (text.equals("/**")) {
      return new PathMatchIr.Prefix("/");
    }
    if (text.endsWith("/**")) {
      return new PathMatchIr.Prefix(text.substring(0, text.length() - 3));
    }
    return new PathMatchIr.Exact(text);
  }
}
