package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.Optional;

/**
 * request limits (issue 13): what every connection to a gateway's listeners may hold; empty means
 * Envoy's default. A timeout of zero is {@code none} (no limit).
 */
public record ConnectionLimitsIr(
    Optional<Integer> maxRequestHeadersKb,
    Optional<Duration> idleTimeout,
    Optional<Duration> streamIdleTimeout) {
  /** Envoy's defaults everywhere. */
  public static final ConnectionLimitsIr DEFAULTS =
      new ConnectionLimitsIr(Optional.empty(), Optional.empty(), Optional.empty());
}
