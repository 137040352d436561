package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ir.ClusterIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.HeaderMutationIr;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.RouteMatchIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.compiler.ir.SubsetIr;
import dev.meshgate.compiler.ir.ValueMatchIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Lowers a policy that passed {@link dev.meshgate.compiler.check.PolicyChecker} without
 * errors to IR. It trusts the checker: an unchecked or failing policy may throw.
 */
public final class Lowering {
  /** Retry conditions when a route says {@code retry N} without {@code on}. */
  public static final List<String> DEFAULT_RETRY_ON = List.of("5xx", "reset", "connect-failure");

  private static final String ANY_ADDRESS = "0.0.0.0";

  private Lowering() {}

  public static PolicyIr lower(List<PolicyFile> files) {
    Map<String, ServiceIr> services = new TreeMap<>();
    List<GatewayDecl> gateways = new ArrayList<>();
    for (PolicyFile file : files) {
      for (Decl decl : file.decls()) {
        switch (decl) {
          case ServiceDecl s -> services.put(s.name().text(), service(s));
          case GatewayDecl g -> gateways.add(g);
        }
      }
    }
    List<GatewayIr> gatewayIrs =
        gateways.stream()
            .map(g -> gateway(g, services))
            .sorted(Comparator.comparing(GatewayIr::name))
            .toList();
    return new PolicyIr(List.copyOf(services.values()), gatewayIrs);
  }

  private static ServiceIr service(ServiceDecl decl) {
    Protocol protocol = Protocol.HTTP;
    ServiceSource source = new ServiceSource.Static(List.of());
    List<SubsetIr> subsets = new ArrayList<>();
    for (ServiceStmt stmt : decl.body()) {
      switch (stmt) {
        case ServiceStmt.StaticSource s ->
            source =
                new ServiceSource.Static(
                    s.endpoints().stream()
                        .map(e -> new ServiceSource.StaticEndpoint(e.host(), (int) e.port().value(), labels(e.labels())))
                        .toList());
        case ServiceStmt.ConsulSource c -> source = new ServiceSource.Consul(c.service().value());
        case ServiceStmt.KubernetesSource k -> {
          String ref = k.ref().value();
          int slash = ref.indexOf('/');
          String namespace = slash < 0 ? "default" : ref.substring(0, slash);
          String name = slash < 0 ? ref : ref.substring(slash + 1);
          source = new ServiceSource.Kubernetes(namespace, name, k.port().map(Name::text).orElse(""));
        }
        case ServiceStmt.ProtocolStmt p -> protocol = Protocol.valueOf(p.protocol().text().toUpperCase(Locale.ROOT));
        case ServiceStmt.SubsetStmt s -> subsets.add(new SubsetIr(s.name().text(), labels(s.where())));
      }
    }
    subsets.sort(Comparator.comparing(SubsetIr::name));
    return new ServiceIr(decl.name().text(), protocol, source, subsets);
  }

  private static TreeMap<String, String> labels(List<ServiceStmt.Label> labels) {
    TreeMap<String, String> map = new TreeMap<>();
    labels.forEach(l -> map.put(l.key(), l.value()));
    return map;
  }

  private static GatewayIr gateway(GatewayDecl decl, Map<String, ServiceIr> services) {
    List<ListenerIr> listeners = new ArrayList<>();
    List<VirtualHostIr> hosts = new ArrayList<>();
    Map<String, ClusterIr> clusters = new TreeMap<>();
    for (GatewayStmt stmt : decl.body()) {
      switch (stmt) {
        case GatewayStmt.Listen l ->
            listeners.add(
                new ListenerIr(l.address().map(GatewayStmt.Address::text).orElse(ANY_ADDRESS), (int) l.port().value()));
        case GatewayStmt.Host h -> hosts.add(host(h, services, clusters));
      }
    }
    listeners.sort(Comparator.comparingInt(ListenerIr::port));
    return new GatewayIr(decl.name().text(), listeners, hosts, List.copyOf(clusters.values()));
  }

  private static VirtualHostIr host(
      GatewayStmt.Host host, Map<String, ServiceIr> services, Map<String, ClusterIr> clusters) {
    String name = host.host().value();
    List<RouteIr> routes = new ArrayList<>();
    int index = 1;
    for (RouteDecl route : host.routes()) {
      routes.add(route(name + "/" + index++, route, services, clusters));
    }
    return new VirtualHostIr(name, List.of(name), routes);
  }

  private static RouteIr route(
      String name, RouteDecl route, Map<String, ServiceIr> services, Map<String, ClusterIr> clusters) {
    PathMatchIr path =
        switch (route.path()) {
          case RouteDecl.PathPattern.Literal l -> literalPath(l.text());
          case RouteDecl.PathPattern.Regex r -> new PathMatchIr.Regex(r.regex().value());
        };
    List<ValueMatchIr> headers = new ArrayList<>();
    List<ValueMatchIr> queries = new ArrayList<>();
    for (RouteDecl.Condition c : route.conditions()) {
      var match = new ValueMatchIr(c.name().value(), c.regex() ? ValueMatchIr.Kind.REGEX : ValueMatchIr.Kind.EXACT, c.value().value());
      (c.kind() == RouteDecl.Condition.Kind.HEADER ? headers : queries).add(match);
    }
    RouteMatchIr match = new RouteMatchIr(path, route.methods().stream().map(Name::text).toList(), headers, queries);

    RouteActionIr action = null;
    List<RouteStmt.Target> targets = List.of();
    Optional<java.time.Duration> timeout = Optional.empty();
    Optional<RouteActionIr.RetryIr> retry = Optional.empty();
    Optional<RouteActionIr.PrefixRewriteIr> rewrite = Optional.empty();
    List<HeaderMutationIr> mutations = new ArrayList<>();
    for (RouteStmt stmt : route.body()) {
      switch (stmt) {
        case RouteStmt.To to -> targets = to.targets();
        case RouteStmt.Redirect r -> action = new RouteActionIr.Redirect((int) r.status().value(), r.location().value());
        case RouteStmt.Respond r ->
            action = new RouteActionIr.Respond((int) r.status().value(), r.body().map(b -> b.value()).orElse(""));
        case RouteStmt.Timeout t -> timeout = t.duration().value();
        case RouteStmt.Retry r ->
            retry =
                Optional.of(
                    new RouteActionIr.RetryIr(
                        (int) r.attempts().value(),
                        r.on().isEmpty() ? DEFAULT_RETRY_ON : r.on().stream().map(Name::text).toList(),
                        r.perTry().flatMap(DurationLit::value)));
        case RouteStmt.Rewrite r -> rewrite = Optional.of(new RouteActionIr.PrefixRewriteIr(r.from().value(), r.to().value()));
        case RouteStmt.HeaderChange h -> {
          var direction = h.response() ? HeaderMutationIr.Direction.RESPONSE : HeaderMutationIr.Direction.REQUEST;
          mutations.add(
              h.set()
                  ? new HeaderMutationIr.Set(direction, h.name().value(), h.value().orElseThrow().value())
                  : new HeaderMutationIr.Remove(direction, h.name().value()));
        }
      }
    }
    if (action == null) {
      List<RouteActionIr.WeightedClusterIr> weighted = new ArrayList<>();
      for (RouteStmt.Target t : targets) {
        String cluster = t.cluster();
        ServiceIr service = services.get(t.service().text());
        var selector = t.subset()
            .flatMap(s -> service.subsets().stream().filter(x -> x.name().equals(s.text())).findFirst())
            .map(SubsetIr::selector)
            .orElse(java.util.Collections.emptySortedMap());
        clusters.putIfAbsent(cluster, new ClusterIr(cluster, service.name(), service.protocol(), selector));
        int weight = targets.size() == 1 ? 100 : (int) t.weight().orElseThrow().value();
        weighted.add(new RouteActionIr.WeightedClusterIr(cluster, weight));
      }
      action = new RouteActionIr.Forward(weighted, timeout, retry, rewrite);
    }
    return new RouteIr(name, route.span().toString(), match, action, mutations);
  }

  /** {@code /**} → prefix "/", {@code /api/**} → prefix "/api", anything else exact. */
  private static PathMatchIr literalPath(String text) {
    if (text.equals("/**")) {
      return new PathMatchIr.Prefix("/");
    }
    if (text.endsWith("/**")) {
      return new PathMatchIr.Prefix(text.substring(0, text.length() - 3));
    }
    return new PathMatchIr.Exact(text);
  }
}
