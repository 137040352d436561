package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.setting.Attachment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
          checkHost(h.host());
          GatewayStmt.Host before =
              hosts.putIfAbsent(h.host().value().toLowerCase(java.util.Locale.ROOT), h);
          if (before != null) {
            cx.error(
                DUPLICATE_HOST,
                h.host().span(),
                "duplicate host \""
                    + h.host().value()
                    + "\" in gateway \""
                    + name
                    + "\"; it is first declared at "
                    + cx.at(before.host().span())
                    + "; merge their routes");
          }
          routes(h);
        }
        case GatewayStmt.Certificate c -> {} // tls.gateway, below
      }
    }
    routeChecks.defaults(
        Attachment.GATEWAY,
        gateway.body().stream()
            .flatMap(
                s -> s instanceof GatewayStmt.RouteSetting r ? Stream.of(r.stmt()) : Stream.of())
            .toList());
    tls.gateway(gateway);
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

  /**
   * Routes that can never match, one finding each: after a plain catch-all (MG409), the same match
   * as an earlier route (MG408), or every request it matches taken by an earlier route (MG701, see
   * {@link RouteCoverage}).
   */
  void routes(GatewayStmt.Host host) {
    routeChecks.defaults(Attachment.HOST, host.settings());
    Map<MatchKey, RouteDecl> seen = new HashMap<>();
    List<RouteDecl> earlier = new ArrayList<>();
    RouteCoverage.Index earlierMatches = new RouteCoverage.Index();
    RouteDecl catchAll = null;
    for (RouteDecl route : host.routes()) {
      routeChecks.route(route);
      if (catchAll != null) {
        cx.error(
            ROUTE_AFTER_CATCH_ALL,
            route.span(),
            "this route can never match: the catch-all route `/**` at line "
                + catchAll.span().line()
                + " takes every request first; move this route above it");
        continue;
      }
      MatchKey key = matchKey(route);
      RouteDecl before = seen.putIfAbsent(key, route);
      RouteCoverage.Match match = RouteCoverage.Match.of(route);
      if (before != null) {
        cx.error(
            DUPLICATE_MATCH,
            route.span(),
            "this route matches the same requests as the route at "
                + cx.at(before.span())
                + ", which comes first, so it can never match");
      } else {
        int i = earlierMatches.firstCovering(match);
        if (i >= 0) {
          cx.error(
              ROUTE_SHADOWED,
              route.span(),
              "this route can never match: it is shadowed by the route at "
                  + cx.at(earlier.get(i).span())
                  + " (`"
                  + header(earlier.get(i))
                  + "`), which comes first and matches every request this one"
                  + " matches; move this route above it, or narrow that one");
        }
      }
      earlier.add(route);
      earlierMatches.add(match);
      if (isCatchAll(route)) {
        catchAll = route;
      }
    }
  }

  /** A route's match as written, for messages: {@code GET /a/** when header "x" = "1"}. */
  static String header(RouteDecl route) {
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

  static boolean isCatchAll(RouteDecl route) {
    return route.methods().isEmpty()
        && route.conditions().isEmpty()
        && route.path() instanceof RouteDecl.PathPattern.Literal l
        && l.text().equals("/**");
  }

  static MatchKey matchKey(RouteDecl route) {
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
