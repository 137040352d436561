package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.HashPolicyIr;
import io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy;

/**
 * {@code hash-by …}: one entry of the route action's {@code hash_policy}. Envoy tries the entries
 * in order and hashes every one that yields a value; a request none yields a value for is balanced
 * as if it had no key. A cookie with a TTL is set by Envoy (Max-Age = TTL, zero: a session cookie)
 * when the request has none, so the client's next request carries it.
 */
final class HashPolicies {
  private HashPolicies() {}

  static HashPolicy policy(HashPolicyIr h) {
    HashPolicy.Builder policy = HashPolicy.newBuilder();
    switch (h.kind()) {
      case HEADER ->
          policy.setHeader(HashPolicy.Header.newBuilder().setHeaderName(h.name().orElseThrow()));
      case COOKIE -> {
        HashPolicy.Cookie.Builder cookie =
            HashPolicy.Cookie.newBuilder().setName(h.name().orElseThrow());
        h.ttl().ifPresent(ttl -> cookie.setTtl(ProtoDurations.of(ttl)).setPath("/"));
        policy.setCookie(cookie);
      }
      case SOURCE_IP ->
          policy.setConnectionProperties(
              HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true));
    }
    return policy.build();
  }
}
