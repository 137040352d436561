package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.ApiKeyField;
import dev.meshgate.compiler.ast.GatewayStmt.JwtField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Edge security (issue 12) across every kind of authentication: a route a host leaves open while
 * protecting all its other routes (MG671), and a place whose requirements all want the one {@code
 * Authorization} header (MG633). The effective requirement is resolved as the lowering merges it
 * (RouteParts): the most specific place wins per kind; api-key and basic-auth share one slot;
 * {@code require none} lifts JWT, API key, basic auth and OIDC; {@code ext-authz off} lifts
 * ext-authz.
 */
final class AuthCoverage {
  private final CheckContext cx;

  AuthCoverage(CheckContext cx) {
    this.cx = cx;
  }

  /** What a request must bring, in message order. */
  enum Kind {
    JWT("a JWT", "jwt"),
    API_KEY("an API key", "api-key"),
    BASIC_AUTH("a password (basic auth)", "basic-auth"),
    OIDC("an OIDC login", "oidc"),
    EXT_AUTHZ("an ext-authz decision", "ext-authz");

    final String noun;
    final String word;

    Kind(String noun, String word) {
      this.noun = noun;
      this.word = word;
    }
  }

  /** The statement in effect for each kind at one place (a lifting statement counts as one). */
  private record Effective(
      Optional<RouteAuth.RequireJwt> jwt,
      Optional<RouteAuth> keyOrUser,
      Optional<RouteAuth> oidc,
      Optional<RouteAuth.RequireExtAuthz> extAuthz) {
    static final Effective NONE =
        new Effective(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    Effective over(List<RouteStmt> own) {
      return new Effective(
          first(own, RouteAuth.RequireJwt.class).or(() -> jwt),
          own.stream()
              .filter(s ->
                  s instanceof RouteAuth.RequireApiKey
                      || s instanceof RouteAuth.RequireBasicAuth
                      || s instanceof RouteAuth.RequireJwt r && r.none())
              .map(RouteAuth.class::cast)
              .findFirst()
              .or(() -> keyOrUser),
          own.stream()
              .filter(s ->
                  s instanceof RouteAuth.RequireOidc
                      || s instanceof RouteAuth.RequireJwt r && r.none())
              .map(RouteAuth.class::cast)
              .findFirst()
              .or(() -> oidc),
          first(own, RouteAuth.RequireExtAuthz.class).or(() -> extAuthz));
    }

    Set<Kind> kinds() {
      Set<Kind> kinds = EnumSet.noneOf(Kind.class);
      jwt.filter(r -> !r.none() && !r.optional()).ifPresent(r -> kinds.add(Kind.JWT));
      keyOrUser.ifPresent(s -> {
        switch (s) {
          case RouteAuth.RequireApiKey k -> kinds.add(Kind.API_KEY);
          case RouteAuth.RequireBasicAuth b -> kinds.add(Kind.BASIC_AUTH);
          default -> {}
        }
      });
      oidc.filter(RouteAuth.RequireOidc.class::isInstance).ifPresent(o -> kinds.add(Kind.OIDC));
      extAuthz.filter(e -> !e.off()).ifPresent(e -> kinds.add(Kind.EXT_AUTHZ));
      return kinds;
    }

    boolean optionalToken() {
      return jwt.map(RouteAuth.RequireJwt::optional).orElse(false);
    }
  }

  private record RouteEffective(RouteDecl route, Effective effective) {}

  /** Two requirements of one place that both want the Authorization header. */
  private record Clash(RouteAuth.RequireJwt jwt, RouteAuth other) {}

  void gateway(GatewayDecl gateway) {
    Map<String, GatewayStmt.JwtProvider> jwts = new HashMap<>();
    Map<String, GatewayStmt.ApiKeys> keys = new HashMap<>();
    for (GatewayStmt stmt : gateway.body()) {
      switch (stmt) {
        case GatewayStmt.JwtProvider p -> jwts.putIfAbsent(p.name().value(), p);
        case GatewayStmt.ApiKeys k -> keys.putIfAbsent(k.name().value(), k);
        default -> {}
      }
    }
    List<RouteStmt> gatewayOwn =
        gateway.body().stream()
            .flatMap(s ->
                s instanceof GatewayStmt.RouteSetting r
                    ? java.util.stream.Stream.of(r.stmt())
                    : java.util.stream.Stream.of())
            .toList();
    Effective atGateway = Effective.NONE.over(gatewayOwn);
    Optional<Clash> gatewayClash = clash(atGateway, jwts, keys);
    gatewayClash.ifPresent(c -> report(c, gatewayOwn, "gateway \"" + gateway.name().text() + "\""));
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.Host host) {
        Effective atHost = atGateway.over(host.settings());
        Optional<Clash> hostClash = clash(atHost, jwts, keys);
        if (!hostClash.equals(gatewayClash)) {
          hostClash.ifPresent(
              c -> report(c, host.settings(), "host \"" + host.host().value() + "\""));
        }
        List<RouteEffective> routes = new ArrayList<>();
        for (RouteDecl route : host.routes()) {
          Effective e = atHost.over(route.body());
          routes.add(new RouteEffective(route, e));
          Optional<Clash> routeClash = clash(e, jwts, keys);
          if (!routeClash.equals(hostClash)) {
            routeClash.ifPresent(c -> report(c, route.body(), "this route"));
          }
        }
        openRoutes(host, routes);
      }
    }
  }

  /** A host whose routes all require authentication but one: that one is probably an oversight. */
  private void openRoutes(GatewayStmt.Host host, List<RouteEffective> routes) {
    List<RouteEffective> open =
        routes.stream()
            .filter(e -> e.effective().kinds().isEmpty())
            // `require none` (or `ext-authz off`) on the route itself says "public on purpose".
            .filter(e ->
                e.route().body().stream()
                    .noneMatch(s ->
                        s instanceof RouteAuth.RequireJwt r && r.none()
                            || s instanceof RouteAuth.RequireExtAuthz x && x.off()))
            .toList();
    if (open.size() != 1 || routes.size() < 3) {
      return;
    }
    RouteEffective lone = open.getFirst();
    Set<Kind> others = EnumSet.noneOf(Kind.class);
    routes.stream().filter(e -> e != lone).forEach(e -> others.addAll(e.effective().kinds()));
    if (others.isEmpty()) {
      return;
    }
    boolean optional = lone.effective().optionalToken();
    String message;
    if (others.size() == 1) {
      Kind kind = others.iterator().next();
      String without =
          kind == Kind.JWT
              ? (optional ? "with no token (`optional`)" : "without one")
              : "without one";
      message =
          "requires "
              + kind.noun
              + ", but this one is reachable "
              + without
              + "; add `require "
              + kind.word
              + " \"…\"`";
    } else {
      message =
          "requires authentication ("
              + orList(others.stream().map(k -> k.noun.replace(" (basic auth)", "")).toList())
              + "), but this one is reachable without any"
              + (optional ? " (its JWT is `optional`)" : "")
              + "; add a `require` like theirs";
    }
    cx.warning(
        JWT_ROUTE_WITHOUT_AUTHENTICATION,
        lone.route().span(),
        "every other route of host \""
            + host.host().value()
            + "\" "
            + message
            + ", or `require none` if it is public on purpose");
  }

  /**
   * Basic auth, or an API key read from {@code Authorization} only, together with a JWT read from
   * {@code Authorization} only: one header cannot carry both, so every request fails one of them.
   */
  private static Optional<Clash> clash(
      Effective e,
      Map<String, GatewayStmt.JwtProvider> jwts,
      Map<String, GatewayStmt.ApiKeys> keys) {
    Optional<RouteAuth.RequireJwt> jwt =
        e.jwt()
            .filter(r ->
                r.provider()
                    .flatMap(p -> Optional.ofNullable(jwts.get(p.value())))
                    .map(AuthCoverage::jwtInAuthorizationOnly)
                    .orElse(false));
    Optional<RouteAuth> other =
        e.keyOrUser()
            .filter(s ->
                switch (s) {
                  case RouteAuth.RequireBasicAuth b -> true;
                  case RouteAuth.RequireApiKey k ->
                      Optional.ofNullable(keys.get(k.provider().value()))
                          .map(AuthCoverage::keyInAuthorizationOnly)
                          .orElse(false);
                  default -> false;
                });
    return jwt.flatMap(j -> other.map(o -> new Clash(j, o)));
  }

  /**
   * Without {@code from}, Envoy reads {@code Authorization: Bearer} (and the discouraged query).
   */
  private static boolean jwtInAuthorizationOnly(GatewayStmt.JwtProvider p) {
    List<JwtField> from =
        p.fields().stream()
            .filter(f ->
                f instanceof JwtField.FromHeader
                    || f instanceof JwtField.FromQuery
                    || f instanceof JwtField.FromCookie)
            .toList();
    return from.stream()
        .allMatch(f -> f instanceof JwtField.FromHeader h && authorization(h.header().value()));
  }

  private static boolean keyInAuthorizationOnly(GatewayStmt.ApiKeys k) {
    List<ApiKeyField.From> from = k.all(ApiKeyField.From.class);
    return !from.isEmpty()
        && from.stream()
            .allMatch(
                f -> f.place() == ApiKeyField.Place.HEADER && authorization(f.name().value()));
  }

  private static boolean authorization(String header) {
    return header.toLowerCase(Locale.ROOT).equals("authorization");
  }

  /** Reported once, where the clash arises: at the statement of this place that completes it. */
  private void report(Clash clash, List<RouteStmt> own, String place) {
    boolean jwtHere = own.contains(clash.jwt());
    boolean otherHere = own.contains(clash.other());
    Span at =
        jwtHere && otherHere
            ? later(clash.jwt().span(), clash.other().span())
            : jwtHere ? clash.jwt().span() : clash.other().span();
    String provider = clash.jwt().provider().map(p -> p.value()).orElse("");
    String other =
        switch (clash.other()) {
          case RouteAuth.RequireApiKey k ->
              "an API key of api-keys \""
                  + k.provider().value()
                  + "\" read from the Authorization header";
          case RouteAuth.RequireBasicAuth b ->
              "basic auth of basic-auth \"" + b.provider().value() + "\"";
          default -> "another credential";
        };
    cx.error(
        AUTH_AUTHORIZATION_CLASH,
        at,
        place
            + " requires "
            + other
            + " (at "
            + cx.at(clash.other().span())
            + ") and a JWT of jwt-provider \""
            + provider
            + "\" read from the Authorization header (at "
            + cx.at(clash.jwt().span())
            + "), but a request has one Authorization header and cannot carry both, so "
            + (clash.jwt().optional()
                ? "no request can bring its `optional` JWT"
                : "every request is refused")
            + "; have jwt-provider \""
            + provider
            + "\" read its token from another header or a cookie (`from header \"x-jwt\"`, `from"
            + " cookie \"token\"`), or require only one of them here");
  }

  private static String orList(List<String> items) {
    return items.size() == 1
        ? items.getFirst()
        : String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.getLast();
  }

  private static Span later(Span a, Span b) {
    return a.line() > b.line() || (a.line() == b.line() && a.column() > b.column()) ? a : b;
  }

  private static <T extends RouteStmt> Optional<T> first(List<RouteStmt> stmts, Class<T> kind) {
    return stmts.stream().filter(kind::isInstance).map(kind::cast).findFirst();
  }
}
