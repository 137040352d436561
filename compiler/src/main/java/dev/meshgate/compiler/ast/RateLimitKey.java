package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/** local rate limits (issue 13): what a rate limit keeps one bucket per value of. */
public sealed interface RateLimitKey extends Node {
  /** {@code by client-ip}: the downstream address Envoy sees. */
  record ClientIp(Span span) implements RateLimitKey {}

  /** {@code by header "x-api-key"}. */
  record Header(StringLit name, Span span) implements RateLimitKey {}

  /** {@code by jwt claim "sub"}: a claim of the verified token. */
  record JwtClaim(StringLit claim, Span span) implements RateLimitKey {}
}
