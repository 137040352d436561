package dev.meshgate.it;

import dev.meshgate.it.DiffPolicy.Action;
import dev.meshgate.it.DiffPolicy.Host;
import dev.meshgate.it.DiffPolicy.Match;
import dev.meshgate.it.DiffPolicy.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Smaller variants of a failing policy and request, for {@link SimulatorDifferentialIT}'s
 * shrinking: each candidate drops one part (a host, a domain, a route, an alternative, a condition,
 * the methods, a header change, a rewrite, an abort) or simplifies a split to its first target; a
 * request loses a header or query parameter, its host's port and upper case, or its method. The
 * test keeps the first candidate that still disagrees and starts again from it, until no candidate
 * does.
 */
final class DiffShrinker {
  private DiffShrinker() {}

  static List<DiffPolicy> smaller(DiffPolicy policy) {
    List<DiffPolicy> out = new ArrayList<>();
    List<Host> hosts = policy.hosts();
    for (int h = 0; h < hosts.size(); h++) {
      out.add(policy.withHosts(without(hosts, h)));
    }
    if (!policy.gatewayChanges().isEmpty()) {
      for (int c = 0; c < policy.gatewayChanges().size(); c++) {
        out.add(policy.withGatewayChanges(without(policy.gatewayChanges(), c)));
      }
    }
    for (int h = 0; h < hosts.size(); h++) {
      Host host = hosts.get(h);
      int hi = h;
      Function<Host, DiffPolicy> replace = nh -> policy.withHosts(replaced(hosts, hi, nh));
      for (int r = 0; r < host.routes().size(); r++) {
        out.add(replace.apply(host.withRoutes(without(host.routes(), r))));
      }
      if (host.domains().size() > 1) {
        for (int d = 0; d < host.domains().size(); d++) {
          out.add(replace.apply(host.withDomains(without(host.domains(), d))));
        }
      }
      for (int c = 0; c < host.changes().size(); c++) {
        out.add(replace.apply(host.withChanges(without(host.changes(), c))));
      }
      for (int r = 0; r < host.routes().size(); r++) {
        Route route = host.routes().get(r);
        int ri = r;
        Function<Route, DiffPolicy> replaceRoute =
            nr -> replace.apply(host.withRoutes(replaced(host.routes(), ri, nr)));
        for (Route smaller : smaller(route)) {
          out.add(replaceRoute.apply(smaller));
        }
      }
    }
    return out;
  }

  private static List<Route> smaller(Route route) {
    List<Route> out = new ArrayList<>();
    if (route.alternatives().size() > 1) {
      for (int a = 0; a < route.alternatives().size(); a++) {
        out.add(route.withAlternatives(without(route.alternatives(), a)));
      }
    }
    for (int c = 0; c < route.changes().size(); c++) {
      out.add(route.withChanges(without(route.changes(), c)));
    }
    if (route.rewritePrefixFrom().isPresent() || route.rewriteHost().isPresent()) {
      out.add(route.withoutRewrites());
    }
    if (route.abort().isPresent()) {
      out.add(route.withoutAbort());
    }
    if (route.action() instanceof Action.To to && to.clusters().size() > 1) {
      out.add(route.withAction(new Action.To(List.of(to.clusters().getFirst()), List.of())));
    }
    for (int a = 0; a < route.alternatives().size(); a++) {
      Match match = route.alternatives().get(a);
      int ai = a;
      for (int c = 0; c < match.conditions().size(); c++) {
        out.add(
            route.withAlternatives(
                replaced(
                    route.alternatives(),
                    ai,
                    match.withConditions(without(match.conditions(), c)))));
      }
      if (!match.methods().isEmpty()) {
        out.add(
            route.withAlternatives(
                replaced(route.alternatives(), ai, match.withMethods(List.of()))));
      }
    }
    return out;
  }

  static List<DiffRequest> smaller(DiffRequest request) {
    List<DiffRequest> out = new ArrayList<>();
    for (int h = 0; h < request.headers().size(); h++) {
      out.add(request.withHeaders(without(request.headers(), h)));
    }
    for (int q = 0; q < request.query().size(); q++) {
      out.add(request.withQuery(without(request.query(), q)));
    }
    // Plainer spellings: a lower-case host without port, GET.
    String plainHost = request.host().toLowerCase(Locale.ROOT).replaceFirst(":[0-9]+$", "");
    if (!plainHost.equals(request.host())) {
      out.add(
          new DiffRequest(
              request.method(), plainHost, request.path(), request.headers(), request.query()));
    }
    if (!request.method().equals("GET")) {
      out.add(
          new DiffRequest(
              "GET", request.host(), request.path(), request.headers(), request.query()));
    }
    return out;
  }

  private static <T> List<T> without(List<T> list, int index) {
    List<T> copy = new ArrayList<>(list);
    copy.remove(index);
    return copy;
  }

  private static <T> List<T> replaced(List<T> list, int index, T value) {
    List<T> copy = new ArrayList<>(list);
    copy.set(index, value);
    return copy;
  }
}
