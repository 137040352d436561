package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.Optional;

/**
 * local rate limits (issue 13): a token bucket of {@code burst} tokens, refilled with {@code
 * tokens} every {@code interval}; each request takes one, and a request that finds none is answered
 * 429 (counted only, when {@code dryRun}). With a {@code key}, each distinct value of it has its
 * own bucket; requests without the value share one.
 *
 * <p>global rate limits (issue 13): when {@code global}, the budget is shared by every Envoy of the
 * gateway: Envoy's rate-limit service counts {@code tokens} per {@code interval} (a fixed window of
 * one second, minute, hour or day; {@code burst} equals {@code tokens}) and {@code dryRun} is its
 * shadow mode ({@link RateLimitServiceIr}).
 */
public record RateLimitIr(
    long tokens, Duration interval, long burst, Optional<Key> key, boolean dryRun, boolean global) {

  /** A local limit: each Envoy keeps its own buckets. */
  public RateLimitIr(
      long tokens, Duration interval, long burst, Optional<Key> key, boolean dryRun) {
    this(tokens, interval, burst, key, dryRun, false);
  }

  /**
   * global rate limits (issue 13): the rate-limit service's unit for an interval, when it has one:
   * it counts in fixed windows of exactly one second, minute, hour, day, week (7d), month (30d) or
   * year (365d).
   */
  public static Optional<String> serviceUnit(Duration interval) {
    return Optional.ofNullable(
            switch ((int) Math.min(interval.toMillis() / 1000, Integer.MAX_VALUE)) {
              case 1 -> "second";
              case 60 -> "minute";
              case 3600 -> "hour";
              case 86_400 -> "day";
              case 604_800 -> "week";
              case 2_592_000 -> "month";
              case 31_536_000 -> "year";
              default -> null;
            })
        .filter(u -> interval.toMillis() % 1000 == 0);
  }

  /** What the buckets are kept per. */
  public sealed interface Key {
    /** The downstream (client) address. */
    record ClientIp() implements Key {}

    /** A request header's value. */
    record Header(String name) implements Key {}

    /** A claim of the verified JWT. */
    record JwtClaim(String claim) implements Key {}
  }
}
