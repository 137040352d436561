package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RateLimitKey;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.RateLimitIr;
import java.time.Duration;
import java.util.Set;

/**
 * local rate limits (issue 13): {@code rate-limit 100 per 1m [burst 150] [global] [by client-ip |
 * by header "h" | by jwt claim "c"] [dry-run]} on a gateway, a host, a route or a call; the most
 * specific place wins as a whole. With {@code global} (global rate limits, issue 13) the budget is
 * kept by the gateway's rate-limit service ({@code translate/GlobalRateLimits}, checks MG441-MG443
 * here, what it needs from the gateway in {@code check/GlobalRateLimitChecks}); the most specific
 * place wins as a whole, and each route (or call) keeps buckets of its own. Whether a JWT provider
 * exists for {@code by jwt claim} is checked by {@code check/RateLimitChecks}, which sees the
 * gateway. Envoy: {@code translate/RateLimits} (the local_ratelimit filter, slot {@code
 * HttpFilters.Slot.LOCAL_RATE_LIMIT}, with the route's bucket and descriptors as its per-route
 * config); not simulated (a test's requests are independent); goldens: {@code rate-limit/}.
 */
final class RateLimits implements Setting<RouteStmt.RateLimit> {
  /** Envoy refuses a token bucket refilled more often than every 50ms. */
  static final Duration MIN_INTERVAL = Duration.ofMillis(50);

  @Override
  public Class<RouteStmt.RateLimit> node() {
    return RouteStmt.RateLimit.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE, Attachment.CALL);
  }

  @Override
  public Role role() {
    return Role.ONCE;
  }

  @Override
  public void check(RouteStmt.RateLimit limit, SettingChecks checks) {
    NumberLit rate = limit.rate();
    if (rate.value() < 1) {
      checks.error(
          RATE_LIMIT_RATE,
          rate.span(),
          "a rate limit of "
              + rate.text()
              + " requests lets nothing through; write at least 1, like `rate-limit 100 per 1m`"
              + " (to refuse every request, use `respond 429`)");
    }
    checks.duration(limit.interval());
    if (limit.isGlobal()) {
      global(limit, checks);
      return;
    }
    limit
        .interval()
        .value()
        .filter(d -> !d.isZero() && d.compareTo(MIN_INTERVAL) < 0)
        .ifPresent(d ->
            checks.error(
                RATE_LIMIT_INTERVAL,
                limit.interval().span(),
                "Envoy refills a token bucket at most every 50ms, found per "
                    + limit.interval().text()
                    + "; write the same rate over a longer interval, like `per 1s`"));
    limit
        .burst()
        .filter(b -> rate.value() >= 1 && b.value() < rate.value())
        .ifPresent(b ->
            checks.error(
                RATE_LIMIT_BURST,
                b.span(),
                "a burst of "
                    + b.text()
                    + " is below the rate of "
                    + rate.text()
                    + ": the bucket holds at most the burst, so only "
                    + b.text()
                    + " requests could pass per interval; make the burst at least "
                    + rate.text()
                    + ", or lower the rate"));
    key(limit, checks);
  }

  /**
   * global rate limits (issue 13): Envoy's rate-limit service counts in fixed windows of one unit
   * (second … year) and has no burst; only gateways ask it.
   */
  private static void global(RouteStmt.RateLimit limit, SettingChecks checks) {
    Span global = limit.global().orElseThrow();
    if (checks.where() == Attachment.CALL) {
      checks.error(
          GLOBAL_RATE_LIMIT_ON_CALL,
          global,
          "a `global` limit is counted by the rate-limit service of a gateway, and a call's"
              + " limit runs in the caller's sidecars, which ask none; drop `global` (each sidecar"
              + " then limits on its own) or limit the route at the gateway");
    }
    limit
        .interval()
        .value()
        .filter(d -> !d.isZero() && RateLimitIr.serviceUnit(d).isEmpty())
        .ifPresent(d ->
            checks.error(
                GLOBAL_RATE_LIMIT_INTERVAL,
                limit.interval().span(),
                "the rate-limit service counts per second, minute, hour or day (also 7d, 30d,"
                    + " 365d), so it cannot count per "
                    + limit.interval().text()
                    + "; write the rate per one of those, like `"
                    + limit.rate().text()
                    + " per 1m`, or drop `global` for a local limit"));
    limit
        .burst()
        .ifPresent(b ->
            checks.error(
                GLOBAL_RATE_LIMIT_BURST,
                b.span(),
                "a `global` limit has no burst: the rate-limit service lets through up to the"
                    + " rate in each fixed window and none more; drop `burst "
                    + b.text()
                    + "` (or drop `global` for a local token bucket)"));
    key(limit, checks);
  }

  private static void key(RouteStmt.RateLimit limit, SettingChecks checks) {
    switch (limit.key().orElse(null)) {
      case RateLimitKey.Header h -> checks.headerName(h.name());
      case RateLimitKey.JwtClaim c when c.claim().value().isEmpty() ->
          checks.error(
              RATE_LIMIT_JWT_CLAIM,
              c.claim().span(),
              "the claim to keep buckets by has no name; write one like `by jwt claim \"sub\"`");
      case RateLimitKey.JwtClaim c when checks.where() == Attachment.CALL ->
          checks.error(
              RATE_LIMIT_JWT_CLAIM,
              c.span(),
              "a mesh call carries no verified JWT, so `by jwt claim` has no value to keep"
                  + " buckets by; use `by header \"…\"` or no key");
      case null, default -> {}
    }
  }

  @Override
  public void lower(RouteStmt.RateLimit limit, RouteParts parts) {
    long rate = limit.rate().value();
    parts.rateLimit(
        new RateLimitIr(
            rate,
            limit.interval().value().orElseThrow(),
            limit.burst().map(NumberLit::value).orElse(rate),
            limit.key().map(RateLimits::key),
            limit.dryRun(),
            limit.isGlobal()));
  }

  private static RateLimitIr.Key key(RateLimitKey key) {
    return switch (key) {
      case RateLimitKey.ClientIp c -> new RateLimitIr.Key.ClientIp();
      case RateLimitKey.Header h ->
          new RateLimitIr.Key.Header(h.name().value().toLowerCase(java.util.Locale.ROOT));
      case RateLimitKey.JwtClaim c -> new RateLimitIr.Key.JwtClaim(c.claim().value());
    };
  }
}
