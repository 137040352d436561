package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.RATE_LIMIT_CLAIM_WITHOUT_JWT;
import static dev.meshgate.compiler.check.Codes.RATE_LIMIT_CLIENT_WITHOUT_AUTH;
import static dev.meshgate.compiler.check.Codes.RATE_LIMIT_JWT_WITHOUT_PROVIDER;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.RateLimitKey;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.ApiKeyIr;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * local rate limits (issue 13): what a {@code rate-limit} needs from its gateway. Keeping buckets
 * {@code by jwt claim} reads the payload the gateway's JWT filter verified, so the gateway must
 * declare a {@code jwt-provider} (MG454), and a route that takes such a limit should require a
 * token, or all its requests share the one unkeyed bucket (MG455). Likewise a limit keyed on the
 * authenticated client's header ({@code x-meshgate-client}) on a route that authenticates no
 * client: Meshgate removes that header there, so every request shares the unkeyed bucket (MG456).
 * The setting's own checks are in {@code setting/RateLimits}.
 */
final class RateLimitChecks {
  private final CheckContext cx;

  RateLimitChecks(CheckContext cx) {
    this.cx = cx;
  }

  void gateway(GatewayDecl gateway) {
    boolean providers = gateway.body().stream().anyMatch(GatewayStmt.JwtProvider.class::isInstance);
    List<RouteStmt> gatewaySettings =
        gateway.body().stream()
            .filter(GatewayStmt.RouteSetting.class::isInstance)
            .map(s -> ((GatewayStmt.RouteSetting) s).stmt())
            .toList();
    Optional<RouteStmt.RateLimit> gatewayLimit = first(gatewaySettings, RouteStmt.RateLimit.class);
    Optional<RouteAuth.RequireJwt> gatewayJwt = first(gatewaySettings, RouteAuth.RequireJwt.class);
    Set<RouteStmt.RateLimit> reported = new HashSet<>();
    if (!providers) {
      gatewayLimit.ifPresent(l -> noProvider(gateway, l, reported));
    }
    for (GatewayStmt stmt : gateway.body()) {
      if (!(stmt instanceof GatewayStmt.Host host)) {
        continue;
      }
      Optional<RouteStmt.RateLimit> hostLimit =
          first(host.settings(), RouteStmt.RateLimit.class).or(() -> gatewayLimit);
      Optional<RouteAuth.RequireJwt> hostJwt =
          first(host.settings(), RouteAuth.RequireJwt.class).or(() -> gatewayJwt);
      if (!providers) {
        hostLimit.ifPresent(l -> noProvider(gateway, l, reported));
      }
      for (RouteDecl route : host.routes()) {
        Optional<RouteStmt.RateLimit> limit =
            first(route.body(), RouteStmt.RateLimit.class).or(() -> hostLimit);
        if (limit.isPresent()
            && limit.get().key().orElse(null) instanceof RateLimitKey.Header h
            && h.name().value().equalsIgnoreCase(ApiKeyIr.CLIENT_HEADER)
            && !authenticatesClient(List.of(gatewaySettings, host.settings(), route.body()))
            && reported.add(limit.get())) {
          cx.warning(
              RATE_LIMIT_CLIENT_WITHOUT_AUTH,
              h.span(),
              "route "
                  + path(route)
                  + " at "
                  + cx.at(route.span())
                  + " authenticates no client, so Meshgate removes \""
                  + ApiKeyIr.CLIENT_HEADER
                  + "\" there and all its requests share one bucket; add `require api-key \"…\"` or"
                  + " `require basic-auth \"…\"` there, or key the limit another way");
          continue;
        }
        if (limit.isEmpty()
            || !(limit.get().key().orElse(null) instanceof RateLimitKey.JwtClaim c)) {
          continue;
        }
        if (!providers) {
          noProvider(gateway, limit.get(), reported);
          continue;
        }
        boolean token =
            first(route.body(), RouteAuth.RequireJwt.class)
                .or(() -> hostJwt)
                .map(r -> !r.none())
                .orElse(false);
        if (!token && reported.add(limit.get())) {
          cx.warning(
              RATE_LIMIT_CLAIM_WITHOUT_JWT,
              c.span(),
              "route "
                  + path(route)
                  + " at "
                  + cx.at(route.span())
                  + " requires no JWT, so its requests carry no verified claim \""
                  + c.claim().value()
                  + "\" and all share one bucket; add `require jwt \"…\"` there, or key the limit"
                  + " another way");
        }
      }
    }
  }

  private void noProvider(
      GatewayDecl gateway, RouteStmt.RateLimit limit, Set<RouteStmt.RateLimit> reported) {
    if (limit.key().orElse(null) instanceof RateLimitKey.JwtClaim c && reported.add(limit)) {
      cx.error(
          RATE_LIMIT_JWT_WITHOUT_PROVIDER,
          c.span(),
          "gateway \""
              + gateway.name().text()
              + "\" has no jwt-provider, so no request carries a verified claim \""
              + c.claim().value()
              + "\" to keep buckets by; declare a `jwt-provider` and `require jwt` it, or key"
              + " the limit `by header \"…\"` or `by client-ip`");
    }
  }

  /**
   * Whether the route names its client in {@code x-meshgate-client}: the last word on it, from the
   * gateway down to the route, is a {@code require api-key} or {@code require basic-auth} rather
   * than a {@code require none}, the order in which the settings are lowered.
   */
  private static boolean authenticatesClient(List<List<RouteStmt>> levels) {
    boolean client = false;
    for (List<RouteStmt> level : levels) {
      for (RouteStmt stmt : level) {
        if (stmt instanceof RouteAuth.RequireApiKey || stmt instanceof RouteAuth.RequireBasicAuth) {
          client = true;
        } else if (stmt instanceof RouteAuth.RequireJwt jwt && jwt.none()) {
          client = false;
        }
      }
    }
    return client;
  }

  private static String path(RouteDecl route) {
    return switch (route.path()) {
      case RouteDecl.PathPattern.Literal l -> "`" + l.text() + "`";
      case RouteDecl.PathPattern.Regex r -> "`~ \"" + r.regex().value() + "\"`";
    };
  }

  private static <T extends RouteStmt> Optional<T> first(List<RouteStmt> stmts, Class<T> kind) {
    return stmts.stream().filter(kind::isInstance).map(kind::cast).findFirst();
  }
}
