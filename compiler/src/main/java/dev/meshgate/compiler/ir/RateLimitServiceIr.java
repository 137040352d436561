package dev.meshgate.compiler.ir;

import java.time.Duration;

/**
 * global rate limits (issue 13): the Envoy rate-limit service ({@code envoyproxy/ratelimit}, gRPC)
 * a gateway's Envoys ask about its {@code global} limits, at {@code host:port}, through the cluster
 * {@link #CLUSTER}. Each request waits at most {@code timeout} for the answer; when none comes (or
 * the service fails) the request passes unless {@code failClosed} (then: 500). {@code domain} names
 * the gateway's descriptors in the service's configuration.
 */
public record RateLimitServiceIr(
    String host, int port, Duration timeout, boolean failClosed, String domain) {
  /** The cluster every gateway reaches its rate-limit service through. */
  public static final String CLUSTER = "ratelimit:service";

  /** Envoy's own default is 20ms: too tight for a service and Redis on a busy machine. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
}
