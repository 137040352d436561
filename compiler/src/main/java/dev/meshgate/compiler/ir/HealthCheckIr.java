package dev.meshgate.compiler.ir;

import java.time.Duration;

/**
 * {@code health-check}: an active health check with defaults applied.
 *
 * @param target the HTTP path ({@code HTTP}), the gRPC service name ({@code GRPC}, may be empty:
 *     the whole server), empty for {@code TCP}
 * @param expect the HTTP status that counts as healthy ({@code HTTP} only)
 * @param http2 whether the check speaks HTTP/2 (the service's protocol is http2 or grpc)
 */
public record HealthCheckIr(
    Kind kind,
    String target,
    int expect,
    Duration interval,
    Duration timeout,
    long unhealthy,
    long healthy,
    boolean http2) {

  public enum Kind {
    HTTP,
    TCP,
    GRPC
  }
}
