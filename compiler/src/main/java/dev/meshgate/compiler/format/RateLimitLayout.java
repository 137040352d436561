package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.RouteStmt;

/** The canonical text of {@code rate-limit} (local rate limits, issue 13). */
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
    r.key()
        .ifPresent(k ->
            sb.append(
                switch (k) {
                  case RouteStmt.RateLimitKey.ClientIp c -> " by client-ip";
                  case RouteStmt.RateLimitKey.Header h ->
                      " by header " + Layout.quote(h.name().value());
                  case RouteStmt.RateLimitKey.JwtClaim c ->
                      " by jwt claim " + Layout.quote(c.claim().value());
                }));
    if (r.dryRun()) {
      sb.append(" dry-run");
    }
    return sb.toString();
  }
}
