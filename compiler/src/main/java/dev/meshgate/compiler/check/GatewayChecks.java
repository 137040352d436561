package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.setting.Attachment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Gateways, their listeners and hosts, and the order of a host's routes: routes that can never
 * match. What is inside one route is {@link RouteChecks}.
 */
final class GatewayChecks {
  private final CheckContext cx;
  private final Values values;
  private final RouteChecks routeChecks;
  private final TlsChecks tls;

  GatewayChecks(CheckContext cx, RouteChecks routeChecks) {
    this.cx = cx;
    this.values = new Values(cx);
    this.routeChecks = routeChecks;
    this.tls = new TlsChecks(cx, this);
  }

  Values values() {
    return values;
  }

  private static final Pattern HOST_NAME =
      Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  /** {@code first}: not a duplicate; "missing" findings only make sense for the real one. */
  void gateway(GatewayDecl gateway, boolean first) {
    String name = gateway.name().text();
    Map<Long, GatewayStmt.Listen> ports = new HashMap<>();
    Map<String, GatewayStmt.Host> hosts = new HashMap<>();
    for (GatewayStmt stmt : gateway.body()) {
      switch (stmt) {
        case GatewayStmt.Listen l -> {
          values.port(l.port());
          l.address().ifPresent(a -> values.address(a.text(), a.span()));
          tls.listen(l);
          GatewayStmt.Listen before = ports.putIfAbsent(l.port().value(), l);
          if (before != null) {
            cx.error(
                DUPLICATE_LISTEN_PORT,
                l.port().span(),
                "gateway \""
                    + name
                    + "\" already listens on port "
                    + l.port().text()
                    + " at "
                    + cx.at(before.span()));
          }
        }
        case GatewayStmt.RouteSetting s -> {}
        case GatewayStmt.Host h -> {
          for (StringLit domain : h.domains()) {
            checkHost(domain);
            GatewayStmt.Host before =
                hosts.putIfAbsent(domain.value().toLowerCase(java.util.Locale.ROOT), h);
            if (before != null) {
              StringLit firstDomain =
                  before.domains().stream()
                      .filter(d -> d.value().equalsIgnoreCase(domain.value()))
                      .findFirst()
                      .orElse(before.host());
              cx.error(
                  DUPLICATE_HOST,
                  domain.span(),
                  "duplicate host \""
                      + domain.value()
                      + "\" in gateway \""
                      + name
                      + "\"; it is first declared at "
                      + cx.at(firstDomain.span())
                      + (before == h ? "; write it once" : "; merge their routes"));
            }
          }
          routes(h, gatewayDefaults(gateway));
        }
        case GatewayStmt.Certificate c -> {} // tls.gateway, below
        case GatewayStmt.JwtProvider p -> {} // jwt.gateway, below
        case GatewayStmt.ApiKeys k -> {} // ApiKeyChecks, below
        case GatewayStmt.OidcProvider p -> {} // OidcChecks, below
        case GatewayStmt.BasicAuth b -> {} // BasicAuthChecks, below
        case GatewayStmt.Zone z -> {} // LoadBalancingChecks.zones
        case GatewayStmt.AccessLog a -> {} // AccessLogChecks
        case GatewayStmt.Limit l -> {} // LimitChecks, below
        case GatewayStmt.TracingSetting t -> {} // TracingChecks
        case GatewayStmt.RateLimitService r -> {} // GlobalRateLimitChecks
        case GatewayStmt.ExtAuthz e -> {} // ExtAuthzChecks, below
      }
    }
    routeChecks.defaults(Attachment.GATEWAY, gatewayDefaults(gateway));
    tls.gateway(gateway);
    new LimitChecks(cx, values).gateway(gateway); // request limits (issue 13)
    new JwtChecks(cx, values).gateway(gateway); // jwt (issue 12)
    new ApiKeyChecks(cx, values).gateway(gateway); // api keys (issue 12)
    new OidcChecks(cx).gateway(gateway); // oidc login (issue 12)
    new BasicAuthChecks(cx).gateway(gateway); // basic auth (issue 12)
    new RateLimitChecks(cx).gateway(gateway); // local rate limits (issue 13)
    new GlobalRateLimitChecks(cx).gateway(gateway); // global rate limits (issue 13)
    new ExtAuthzChecks(cx, values).gateway(gateway); // external authorization (issue 12)
    new AuthCoverage(cx).gateway(gateway); // every kind of authentication together (issue 12)
    if (cx.current.complete() && first && ports.isEmpty()) {
      cx.error(
          GATEWAY_WITHOUT_LISTEN,
          gateway.name().span(),
          "gateway \""
              + name
              + "\" has no `listen`, so it receives no traffic; add one like `listen :8080`");
    }
    if (cx.current.complete() && first && hosts.isEmpty()) {
      cx.warning(
          GATEWAY_WITHOUT_HOSTS,
          gateway.name().span(),
          "gateway \""
              + name
              + "\" has no hosts, so it answers every request with 404; add one like `host \"*\" { … }`");
    }
  }

  /** The route settings written on a gateway: the defaults for every route of its hosts. */
  private static List<RouteStmt> gatewayDefaults(GatewayDecl gateway) {
    return gateway.body().stream()
        .flatMap(s -> s instanceof GatewayStmt.RouteSetting r ? Stream.of(r.stmt()) : Stream.of())
        .toList();
  }

  void checkHost(StringLit host) {
    String h = host.value();
    if (h.equals("*") || HOST_NAME.matcher(h).matches()) {
      return;
    }
    String hint =
        !h.equals(h.toLowerCase(java.util.Locale.ROOT))
            ? "write it in lower case"
            : "use a domain like \"api.example.com\", a wildcard like \"*.example.com\", or \"*\" for any host";
    cx.error(INVALID_HOST, host.span(), "invalid host \"" + h + "\"; " + hint);
  }

  // ------------------------------------------------------------------ routes

  record MatchKey(String path, Set<String> methods, Set<String> conditions) {}

  /** One alternative of a route, as the analysis sees it. */
  private record Unit(RouteDecl route, RouteDecl.Alternative alternative) {}

  /**
   * Routes that can never match, one finding each: after a plain catch-all (MG409), the same match
   * as an earlier route (MG408), or every request it matches taken by an earlier route (MG701, see
   * {@link RouteCoverage}); and routes that share some requests with an earlier one whose order
   * alone decides (MG730, see {@link RouteOverlap}). Each alternative of a route counts as a route
   * of its own (it is one in Envoy); alternatives of one route never overlap each other in a way
   * that matters, since they do the same thing.
   */
  void routes(GatewayStmt.Host host, List<RouteStmt> gatewayDefaults) {
    routeChecks.defaults(Attachment.HOST, host.settings());
    Map<MatchKey, Unit> seen = new HashMap<>();
    List<Unit> earlier = new ArrayList<>();
    RouteIndex index = new RouteIndex();
    Unit catchAll = null;
    for (RouteDecl route : host.routes()) {
      routeChecks.route(route);
      InheritedRetries.check(cx, route, host.settings(), gatewayDefaults);
      boolean overlapReported = false;
      for (RouteDecl.Alternative alternative : route.alternatives()) {
        Unit unit = new Unit(route, alternative);
        if (catchAll != null) {
          cx.error(
              ROUTE_AFTER_CATCH_ALL,
              alternative.span(),
              "this route can never match: the catch-all route `/**` at line "
                  + catchAll.alternative().span().line()
                  + " takes every request first; move this route above it");
          break;
        }
        MatchKey key = matchKey(alternative);
        Unit before = seen.putIfAbsent(key, unit);
        RouteCoverage.Match match = RouteCoverage.Match.of(alternative);
        if (before != null) {
          cx.error(
              DUPLICATE_MATCH,
              alternative.span(),
              before.route() == route
                  ? "this alternative repeats the one at "
                      + cx.at(before.alternative().span())
                      + " in the same route; remove it"
                  : "this route matches the same requests as the route at "
                      + cx.at(before.route().span())
                      + ", which comes first, so it can never match");
        } else {
          int i = index.firstCovering(match);
          if (i >= 0) {
            Unit e = earlier.get(i);
            cx.error(
                ROUTE_SHADOWED,
                alternative.span(),
                e.route() == route
                    ? "this alternative can never match: the alternative `"
                        + header(e.alternative())
                        + "` before it in the same route matches every request it matches;"
                        + " remove it"
                    : "this route can never match: it is shadowed by the route at "
                        + cx.at(e.route().span())
                        + " (`"
                        + header(e.alternative())
                        + "`), which comes first and matches every request this one"
                        + " matches; move this route above it, or narrow that one");
          } else if (!overlapReported) {
            overlapReported = overlap(route, alternative, match, index, earlier);
          }
        }
        earlier.add(unit);
        index.add(match);
        if (isCatchAll(alternative)) {
          catchAll = unit;
        }
      }
    }
  }

  /** Reports the first earlier route of another route that partially overlaps this one. */
  private boolean overlap(
      RouteDecl route,
      RouteDecl.Alternative alternative,
      RouteCoverage.Match match,
      RouteIndex index,
      List<Unit> earlier) {
    Optional<RouteOverlap.Found> found = index.firstOverlap(match);
    // Alternatives of one route do the same thing: their overlaps do not matter.
    if (found.isEmpty() || earlier.get(found.get().index()).route() == route) {
      return false;
    }
    Unit e = earlier.get(found.get().index());
    String at = cx.at(e.route().span());
    RouteCoverage.Match first = index.get(found.get().index());
    int order = Integer.compare(specificity(match), specificity(first));
    cx.warning(
        PARTIAL_OVERLAP,
        alternative.span(),
        "this route and the route at "
            + at
            + " (`"
            + header(e.alternative())
            + "`) both match `"
            + found.get().request()
            + "` and neither covers the other, so their order decides: the route at "
            + at
            + " takes it. "
            + (order > 0
                ? "Suggested order: this narrower route first; move it above " + at
                : (order < 0
                        ? "Suggested order: as written (the earlier route is the narrower)"
                        : "Neither is narrower: put first the one such requests should reach")
                    + "; if the written order is meant, say so with"
                    + " `# meshgate:ignore MG730 <why>`, else move this route above it"));
    return true;
  }

  /** How narrow a match is, to suggest an order: more conditions and methods, longer paths. */
  private static int specificity(RouteCoverage.Match m) {
    int path =
        m.path()
            .map(p ->
                switch (p) {
                  case RouteCoverage.Path.Exact e -> 2000 + e.path().length();
                  case RouteCoverage.Path.Prefix q -> 1000 + q.base().length();
                  case RouteCoverage.Path.Regex r -> 1000;
                })
            .orElse(0);
    return m.conds().size() * 10_000 + (m.methods().isEmpty() ? 0 : 5_000) + path;
  }

  /** A route's match as written, for messages: {@code GET /a/** when header "x" = "1"}. */
  static String header(RouteDecl route) {
    return header(route.alternatives().getFirst());
  }

  static String header(RouteDecl.Alternative route) {
    List<String> parts = new ArrayList<>();
    route.methods().forEach(m -> parts.add(m.text()));
    parts.add(
        switch (route.path()) {
          case RouteDecl.PathPattern.Literal l -> l.text();
          case RouteDecl.PathPattern.Regex r -> "~ " + r.regex().raw();
        });
    for (int i = 0; i < route.conditions().size(); i++) {
      RouteDecl.Condition c = route.conditions().get(i);
      parts.add(
          (i == 0 ? "when " : "and ")
              + c.kind().keyword()
              + " "
              + c.name().raw()
              + (c.regex() ? " ~ " : " = ")
              + c.value().raw());
    }
    return String.join(" ", parts);
  }

  static boolean isCatchAll(RouteDecl.Alternative route) {
    return route.methods().isEmpty()
        && route.conditions().isEmpty()
        && route.path() instanceof RouteDecl.PathPattern.Literal l
        && l.text().equals("/**");
  }

  static MatchKey matchKey(RouteDecl.Alternative route) {
    String path =
        switch (route.path()) {
          case RouteDecl.PathPattern.Literal l -> "path " + l.text();
          case RouteDecl.PathPattern.Regex r -> "regex " + r.regex().value();
        };
    Set<String> methods = new TreeSet<>();
    route.methods().forEach(m -> methods.add(m.text()));
    Set<String> conditions = new TreeSet<>();
    for (RouteDecl.Condition c : route.conditions()) {
      String name =
          c.kind() == RouteDecl.Condition.Kind.HEADER
              ? c.name().value().toLowerCase(java.util.Locale.ROOT)
              : c.name().value();
      conditions.add(c.kind() + " " + name + (c.regex() ? " ~ " : " = ") + c.value().value());
    }
    return new MatchKey(path, methods, conditions);
  }
}
