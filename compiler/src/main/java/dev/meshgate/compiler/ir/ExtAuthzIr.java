package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * external authorization (issue 12): one {@code ext-authz} service of a gateway. Envoy asks it
 * about each request of a route that requires it, over gRPC ({@code
 * envoy.service.auth.v3.Authorization}) or plain HTTP (the request's method and path, under {@code
 * pathPrefix}), and waits at most {@code timeout}; when the service fails or is late, the request
 * passes if {@code failOpen}, else it is refused with 403. {@code sendHeaders}: the request headers
 * the service gets (empty: Envoy's default, every header for gRPC, a few for HTTP); {@code
 * upstreamHeaders}: the headers of an HTTP service's OK answer added to the forwarded request (a
 * gRPC service names them in its answer). Header names are lower case and sorted.
 */
public record ExtAuthzIr(
    String name,
    Kind kind,
    String host,
    int port,
    Optional<String> pathPrefix,
    Duration timeout,
    boolean failOpen,
    List<String> sendHeaders,
    List<String> upstreamHeaders) {
  /** How long a request waits for a decision when the policy does not say. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);

  public ExtAuthzIr {
    sendHeaders = List.copyOf(sendHeaders);
    upstreamHeaders = List.copyOf(upstreamHeaders);
  }

  /** The cluster Envoy reaches the service through. */
  public String cluster() {
    return "ext-authz:" + name;
  }

  /** The protocol the service speaks. */
  public enum Kind {
    GRPC,
    HTTP
  }
}
