package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Load balancing across the policy (issue 14): a proxy's {@code zone}, and {@code hash-by} towards
 * a service whose load balancer ignores hashes. The settings themselves are checked by their units
 * ({@code setting/HashPolicies}, {@code setting/LoadBalancers}).
 */
final class LoadBalancingChecks {
  private final CheckContext cx;
  private final Set<List<Object>> warned = new HashSet<>();

  LoadBalancingChecks(CheckContext cx) {
    this.cx = cx;
  }

  void run() {
    for (PolicyFile file : cx.files) {
      cx.current = file;
      for (Decl decl : file.decls()) {
        switch (decl) {
          case GatewayDecl g -> {
            zones(
                g.body().stream()
                    .filter(GatewayStmt.Zone.class::isInstance)
                    .map(GatewayStmt.Zone.class::cast)
                    .toList(),
                "gateway \"" + g.name().text() + "\"");
            gatewayHashes(g);
          }
          case CallDecl c ->
              hashes(
                  hashBys(c.body()),
                  List.of(new Towards(c.callee().text(), Optional.empty(), c.cluster())));
          case ServiceDecl s -> {
            // A loop, not a stream: this runs for every service on every reload (issue 17.1).
            for (ServiceStmt stmt : s.body()) {
              if (stmt instanceof ServiceStmt.Sidecar sc && !sc.zones().isEmpty()) {
                zones(sc.zones(), "the sidecar of \"" + s.name().text() + "\"");
              }
            }
          }
          default -> {}
        }
      }
    }
  }

  /**
   * The hash-bys that count for each route of a gateway: its own, else its host's, else the
   * gateway's (a route's own lines replace the defaults whole).
   */
  private void gatewayHashes(GatewayDecl g) {
    List<RouteStmt.HashBy> gateway =
        hashBys(
            g.body().stream()
                .filter(GatewayStmt.RouteSetting.class::isInstance)
                .map(s -> ((GatewayStmt.RouteSetting) s).stmt())
                .toList());
    for (GatewayStmt stmt : g.body()) {
      if (stmt instanceof GatewayStmt.Host host) {
        List<RouteStmt.HashBy> hostDefaults = hashBys(host.settings());
        for (RouteDecl route : host.routes()) {
          List<RouteStmt.HashBy> own = hashBys(route.body());
          List<RouteStmt.HashBy> counted =
              !own.isEmpty() ? own : !hostDefaults.isEmpty() ? hostDefaults : gateway;
          if (counted.isEmpty()) {
            continue; // the common case: nothing to check, no list of services to build
          }
          List<Towards> targets =
              route.body().stream()
                  .filter(RouteStmt.To.class::isInstance)
                  .flatMap(t -> ((RouteStmt.To) t).targets().stream())
                  .map(t ->
                      new Towards(t.service().text(), t.subset().map(n -> n.text()), List.of()))
                  .toList();
          hashes(counted, targets);
        }
      }
    }
  }

  private static List<RouteStmt.HashBy> hashBys(List<RouteStmt> body) {
    List<RouteStmt.HashBy> found = List.of();
    for (RouteStmt s : body) {
      if (s instanceof RouteStmt.HashBy h) {
        if (found.isEmpty()) {
          found = new java.util.ArrayList<>();
        }
        found.add(h);
      }
    }
    return found.isEmpty() ? found : List.copyOf(found);
  }

  /**
   * Envoy uses a request's hash only with a hashing load balancer: a hash-by towards a service that
   * balances otherwise is silently ignored, so say so (once per hash-by and service).
   */
  private void hashes(List<RouteStmt.HashBy> counted, List<Towards> targets) {
    if (counted.isEmpty()) {
      return;
    }
    RouteStmt.HashBy first = counted.getFirst();
    for (Towards target : targets) {
      String service = target.service();
      ServiceDecl decl = cx.services.get(service);
      if (decl == null) {
        continue; // an unknown service is reported elsewhere
      }
      // The lowest place that writes a load balancer counts (issue 14): call, subset, service.
      String place = "call";
      Optional<ClusterStmt.LoadBalancer> lb = loadBalancer(target.call());
      if (lb.isEmpty()) {
        place = "subset";
        lb =
            target
                .subset()
                .map(s -> cx.subsets.getOrDefault(service, java.util.Map.of()).get(s))
                .flatMap(s -> loadBalancer(s.cluster()));
      }
      if (lb.isEmpty()) {
        place = "service";
        lb = loadBalancer(ClusterSettingChecks.of(decl));
      }
      String kind = lb.map(l -> l.kind().text()).orElse("round-robin");
      String towards = place.equals("subset") ? target.cluster() : service;
      if (kind.equals("ring-hash")
          || kind.equals("maglev")
          || !warned.add(List.of(first.span(), towards))) {
        continue;
      }
      cx.warning(
          HASH_WITHOUT_HASHING_LB,
          first.span(),
          "`hash-by` has no effect towards "
              + (place.equals("subset") ? "subset \"" : "service \"")
              + towards
              + "\": it balances with "
              + kind
              + (lb.isEmpty() ? " (the default)" : "")
              + ", which ignores hashes; write `load-balancer ring-hash` or `load-balancer"
              + " maglev` in the "
              + place);
    }
  }

  /** Where a hash-by sends: a service or one of its subsets, with the call's cluster statements. */
  private record Towards(String service, Optional<String> subset, List<ClusterStmt> call) {
    String cluster() {
      return subset.map(s -> service + "." + s).orElse(service);
    }
  }

  private static Optional<ClusterStmt.LoadBalancer> loadBalancer(List<ClusterStmt> stmts) {
    return stmts.stream()
        .filter(ClusterStmt.LoadBalancer.class::isInstance)
        .map(ClusterStmt.LoadBalancer.class::cast)
        .findFirst();
  }

  /** A proxy runs in one zone: a non-empty name, written once. */
  private void zones(List<GatewayStmt.Zone> zones, String proxy) {
    for (int i = 0; i < zones.size(); i++) {
      GatewayStmt.Zone z = zones.get(i);
      if (z.zone().value().isBlank()) {
        cx.error(
            INVALID_ZONE,
            z.zone().span(),
            "the zone of "
                + proxy
                + " is empty; write the zone its endpoints carry, like \"eu-west-1a\"");
      }
      if (i > 0) {
        cx.error(
            DUPLICATE_ZONE,
            z.span(),
            proxy
                + " already runs in zone \""
                + zones.getFirst().zone().value()
                + "\" ("
                + cx.at(zones.getFirst().span())
                + "); a proxy is in one zone, keep one");
      }
    }
  }
}
