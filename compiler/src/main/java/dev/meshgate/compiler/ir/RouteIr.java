package dev.meshgate.compiler.ir;

import java.util.List;
import java.util.Optional;

/**
 * One route. {@code name} is stable and readable ({@code host/index-description}) so Envoy stats
 * and config dumps point back at the policy; {@code origin} is {@code file:line:col}.
 */
public record RouteIr(
    String name,
    String origin,
    RouteMatchIr match,
    RouteActionIr action,
    List<HeaderMutationIr> headerMutations,
    Optional<CorsIr> cors,
    Optional<JwtIr> jwt,
    Optional<RateLimitIr> rateLimit,
    Optional<CompressionIr> compression,
    Optional<Long> maxRequestBytes,
    Optional<Integer> traceSample,
    Optional<String> extAuthz,
    List<ErrorResponseIr> errorResponses,
    Optional<ApiKeyIr> apiKey,
    Optional<String> oidc,
    GrpcIr grpc,
    Optional<BasicAuthIr> basicAuth) {
  public RouteIr {
    headerMutations = List.copyOf(headerMutations);
    errorResponses = List.copyOf(errorResponses);
  }

  /** Whether the route requires a key of some provider. */
  public boolean requiresApiKey() {
    return apiKey.flatMap(ApiKeyIr::provider).isPresent();
  }

  /** Whether the route requires a user of some basic-auth provider. */
  public boolean requiresBasicAuth() {
    return basicAuth.isPresent();
  }

  /**
   * A route that requires no OIDC login or basic auth (issue 12) and does nothing for gRPC clients
   * (issue 13).
   */
  public RouteIr(
      String name,
      String origin,
      RouteMatchIr match,
      RouteActionIr action,
      List<HeaderMutationIr> headerMutations,
      Optional<CorsIr> cors,
      Optional<JwtIr> jwt,
      Optional<RateLimitIr> rateLimit,
      Optional<CompressionIr> compression,
      Optional<Long> maxRequestBytes,
      Optional<Integer> traceSample,
      Optional<String> extAuthz,
      List<ErrorResponseIr> errorResponses,
      Optional<ApiKeyIr> apiKey) {
    this(
        name,
        origin,
        match,
        action,
        headerMutations,
        cors,
        jwt,
        rateLimit,
        compression,
        maxRequestBytes,
        traceSample,
        extAuthz,
        errorResponses,
        apiKey,
        Optional.empty(),
        GrpcIr.NONE,
        Optional.empty());
  }

  /** A route without an api-key requirement (api keys, issue 12). */
  public RouteIr(
      String name,
      String origin,
      RouteMatchIr match,
      RouteActionIr action,
      List<HeaderMutationIr> headerMutations,
      Optional<CorsIr> cors,
      Optional<JwtIr> jwt,
      Optional<RateLimitIr> rateLimit,
      Optional<CompressionIr> compression,
      Optional<Long> maxRequestBytes,
      Optional<Integer> traceSample,
      Optional<String> extAuthz,
      List<ErrorResponseIr> errorResponses) {
    this(
        name,
        origin,
        match,
        action,
        headerMutations,
        cors,
        jwt,
        rateLimit,
        compression,
        maxRequestBytes,
        traceSample,
        extAuthz,
        errorResponses,
        Optional.empty());
  }

  /** A route without custom error responses (issue 13). */
  public RouteIr(
      String name,
      String origin,
      RouteMatchIr match,
      RouteActionIr action,
      List<HeaderMutationIr> headerMutations,
      Optional<CorsIr> cors,
      Optional<JwtIr> jwt,
      Optional<RateLimitIr> rateLimit,
      Optional<CompressionIr> compression,
      Optional<Long> maxRequestBytes,
      Optional<Integer> traceSample,
      Optional<String> extAuthz) {
    this(
        name,
        origin,
        match,
        action,
        headerMutations,
        cors,
        jwt,
        rateLimit,
        compression,
        maxRequestBytes,
        traceSample,
        extAuthz,
        List.of());
  }

  /** A route no external authorization service decides (issue 12). */
  public RouteIr(
      String name,
      String origin,
      RouteMatchIr match,
      RouteActionIr action,
      List<HeaderMutationIr> headerMutations,
      Optional<CorsIr> cors,
      Optional<JwtIr> jwt,
      Optional<RateLimitIr> rateLimit,
      Optional<CompressionIr> compression,
      Optional<Long> maxRequestBytes,
      Optional<Integer> traceSample) {
    this(
        name,
        origin,
        match,
        action,
        headerMutations,
        cors,
        jwt,
        rateLimit,
        compression,
        maxRequestBytes,
        traceSample,
        Optional.empty());
  }

  /** A route without a rate limit, compression or body limit (issue 13), or trace sample. */
  public RouteIr(
      String name,
      String origin,
      RouteMatchIr match,
      RouteActionIr action,
      List<HeaderMutationIr> headerMutations,
      Optional<CorsIr> cors,
      Optional<JwtIr> jwt) {
    this(
        name,
        origin,
        match,
        action,
        headerMutations,
        cors,
        jwt,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** This route with {@code rateLimit} (local rate limits, issue 13). */
  public RouteIr withRateLimit(Optional<RateLimitIr> rateLimit) {
    return new RouteIr(
        name,
        origin,
        match,
        action,
        headerMutations,
        cors,
        jwt,
        rateLimit,
        compression,
        maxRequestBytes,
        traceSample,
        extAuthz,
        errorResponses,
        apiKey,
        oidc,
        grpc,
        basicAuth);
  }

  /** A route without JWT requirements or claim rules. */
  public RouteIr(
      String name,
      String origin,
      RouteMatchIr match,
      RouteActionIr action,
      List<HeaderMutationIr> headerMutations,
      Optional<CorsIr> cors) {
    this(name, origin, match, action, headerMutations, cors, Optional.empty());
  }

  /** A route without CORS. */
  public RouteIr(
      String name,
      String origin,
      RouteMatchIr match,
      RouteActionIr action,
      List<HeaderMutationIr> headerMutations) {
    this(name, origin, match, action, headerMutations, Optional.empty());
  }
}
