package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.RateLimitKey;
import dev.meshgate.compiler.ast.RouteStmt;

/** The canonical text of {@code rate-limit} and {@code rate-limit service} (issue 13). */
final class RateLimitLayout {
  private RateLimitLayout() {}

  /** local rate limits (issue 13). */
  static String rateLimit(RouteStmt.RateLimit r) {
    StringBuilder sb =
        new StringBuilder("rate-limit ")
            .append(r.rate().text())
            .append(" per ")
            .append(r.interval().text());
    r.burst().ifPresent(b -> sb.append(" burst ").append(b.text()));
    if (r.isGlobal()) {
      sb.append(" global");
    }
    r.key()
        .ifPresent(k ->
            sb.append(
                switch (k) {
                  case RateLimitKey.ClientIp c -> " by client-ip";
                  case RateLimitKey.Header h -> " by header " + Layout.quote(h.name().value());
                  case RateLimitKey.JwtClaim c ->
                      " by jwt claim " + Layout.quote(c.claim().value());
                }));
    if (r.dryRun()) {
      sb.append(" dry-run");
    }
    return sb.toString();
  }

  /** global rate limits (issue 13): {@code rate-limit service "…" [timeout D] [fail-…]}. */
  static String service(GatewayStmt.RateLimitService s) {
    StringBuilder sb =
        new StringBuilder("rate-limit service ").append(Layout.quote(s.address().value()));
    s.timeout().ifPresent(t -> sb.append(" timeout ").append(t.text()));
    s.failure()
        .ifPresent(f ->
            sb.append(
                f == GatewayStmt.RateLimitService.Failure.OPEN ? " fail-open" : " fail-closed"));
    return sb.toString();
  }
}
