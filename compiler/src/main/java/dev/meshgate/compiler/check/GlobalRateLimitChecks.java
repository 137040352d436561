package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * global rate limits (issue 13): what a {@code global} limit needs from its gateway: one {@code
 * rate-limit service "HOST:PORT"} (MG440 without it, MG445 when written twice) with a usable
 * address (MG444) and timeout (MG446); a service that no limit uses is a warning (MG447). The
 * limit's own checks (interval, burst, place) are in {@code setting/RateLimits}.
 */
final class GlobalRateLimitChecks {
  private static final Pattern HOST =
      Pattern.compile(
          "(\\d{1,3}(\\.\\d{1,3}){3})|([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)");

  private final CheckContext cx;

  GlobalRateLimitChecks(CheckContext cx) {
    this.cx = cx;
  }

  void gateway(GatewayDecl gateway) {
    List<GatewayStmt.RateLimitService> services =
        gateway.body().stream()
            .filter(GatewayStmt.RateLimitService.class::isInstance)
            .map(GatewayStmt.RateLimitService.class::cast)
            .toList();
    for (GatewayStmt.RateLimitService again :
        services.subList(Math.min(1, services.size()), services.size())) {
      cx.error(
          DUPLICATE_RATE_LIMIT_SERVICE,
          again.span(),
          "gateway \""
              + gateway.name().text()
              + "\" already names its rate-limit service at "
              + cx.at(services.getFirst().span())
              + "; a gateway asks one service, keep one `rate-limit service`");
    }
    services.stream().findFirst().ifPresent(this::service);
    List<RouteStmt.RateLimit> globals = globalLimits(gateway);
    if (services.isEmpty()) {
      for (RouteStmt.RateLimit limit : globals) {
        cx.error(
            GLOBAL_RATE_LIMIT_WITHOUT_SERVICE,
            limit.global().orElseThrow(),
            "gateway \""
                + gateway.name().text()
                + "\" names no rate-limit service to count this `global` limit; add"
                + " `rate-limit service \"HOST:PORT\"` (Envoy's ratelimit, gRPC) to the gateway,"
                + " or drop `global` for a limit each Envoy keeps on its own");
      }
    } else if (globals.isEmpty()) {
      cx.warning(
          RATE_LIMIT_SERVICE_UNUSED,
          services.getFirst().span(),
          "gateway \""
              + gateway.name().text()
              + "\" has no `global` rate limit, so its Envoys never ask this rate-limit service;"
              + " add `global` to a `rate-limit`, or remove the `rate-limit service`");
    }
  }

  private void service(GatewayStmt.RateLimitService s) {
    String address = s.address().value();
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? address : address.substring(0, colon);
    String port = colon < 0 ? "" : address.substring(colon + 1);
    boolean hostOk = !host.isEmpty() && HOST.matcher(host.toLowerCase(Locale.ROOT)).matches();
    boolean portOk =
        port.matches("\\d{1,5}") && Integer.parseInt(port) > 0 && Integer.parseInt(port) <= 65535;
    if (!hostOk || !portOk) {
      cx.error(
          RATE_LIMIT_SERVICE_ADDRESS,
          s.address().span(),
          "rate-limit service "
              + s.address().raw()
              + " is not HOST:PORT; write the gRPC address of Envoy's ratelimit service like"
              + " \"127.0.0.1:8081\" or \"ratelimit.internal:8081\" (no scheme, no path)");
    }
    s.timeout()
        .filter(t -> t.value().map(d -> d.isZero() || d.toMillis() < 1).orElse(false))
        .ifPresent(
            t ->
                cx.error(
                    RATE_LIMIT_SERVICE_TIMEOUT,
                    t.span(),
                    "a timeout of "
                        + t.text()
                        + " leaves the rate-limit service no time to answer, so every request"
                        + " would fail open (or closed); write at least 1ms, like `timeout 100ms`"));
  }

  /** Every {@code rate-limit … global} written on the gateway, its hosts or its routes. */
  private static List<RouteStmt.RateLimit> globalLimits(GatewayDecl gateway) {
    List<RouteStmt> stmts = new ArrayList<>();
    for (GatewayStmt stmt : gateway.body()) {
      switch (stmt) {
        case GatewayStmt.RouteSetting r -> stmts.add(r.stmt());
        case GatewayStmt.Host h -> {
          stmts.addAll(h.settings());
          for (RouteDecl route : h.routes()) {
            stmts.addAll(route.body());
          }
        }
        default -> {}
      }
    }
    return stmts.stream()
        .filter(s -> s instanceof RouteStmt.RateLimit l && l.isGlobal())
        .map(RouteStmt.RateLimit.class::cast)
        .toList();
  }
}
