package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code hash-by …}: what a hashing load balancer hashes for a route or call. {@code name} is the
 * header's or the cookie's; {@code ttl} (cookies only) makes Envoy set the cookie when the client
 * has none, with that lifetime (zero: a session cookie).
 */
public record HashPolicyIr(Kind kind, Optional<String> name, Optional<Duration> ttl) {
  public enum Kind {
    HEADER,
    COOKIE,
    SOURCE_IP
  }
}
