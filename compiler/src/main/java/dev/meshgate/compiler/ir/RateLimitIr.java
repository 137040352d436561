package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.Optional;

/**
 * local rate limits (issue 13): a token bucket of {@code burst} tokens, refilled with {@code
 * tokens} every {@code interval}; each request takes one, and a request that finds none is answered
 * 429 (counted only, when {@code dryRun}). With a {@code key}, each distinct value of it has its
 * own bucket; requests without the value share one.
 */
public record RateLimitIr(
    long tokens, Duration interval, long burst, Optional<Key> key, boolean dryRun) {

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
