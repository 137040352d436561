package dev.meshgate.compiler.ir;

/** What Host (authority) the upstream receives when a route rewrites it. */
public sealed interface HostRewriteIr {

  /** {@code rewrite host "api.internal"}: Envoy {@code host_rewrite_literal}. */
  record Literal(String host) implements HostRewriteIr {}

  /**
   * {@code rewrite host to-endpoint}: Envoy {@code auto_host_rewrite}, the {@code hostname} of the
   * endpoint Envoy picked (EDS); an endpoint without one leaves Host as the client sent it.
   */
  record ToEndpoint() implements HostRewriteIr {}
}
