package dev.meshgate.compiler.ir;

import java.util.List;
import java.util.Optional;

/**
 * What a route does at the boundary with clients it does not control (issue 13), and how much of it
 * is traced (issue 15): its local rate limit, response compression, request body limit, custom
 * error responses, gRPC conversions and trace sample. Empty where none applies.
 */
public record RouteBoundaryIr(
    Optional<RateLimitIr> rateLimit,
    Optional<CompressionIr> compression,
    Optional<Long> maxRequestBytes,
    List<ErrorResponseIr> errorResponses,
    GrpcIr grpc,
    Optional<Integer> traceSample) {
  /** A route with none of these. */
  public static final RouteBoundaryIr NONE =
      new RouteBoundaryIr(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          GrpcIr.NONE,
          Optional.empty());

  public RouteBoundaryIr {
    errorResponses = List.copyOf(errorResponses);
  }

  /** These settings with {@code rateLimit} instead. */
  public RouteBoundaryIr withRateLimit(Optional<RateLimitIr> rateLimit) {
    return new RouteBoundaryIr(
        rateLimit, compression, maxRequestBytes, errorResponses, grpc, traceSample);
  }
}
