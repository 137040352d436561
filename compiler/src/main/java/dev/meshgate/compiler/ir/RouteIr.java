package dev.meshgate.compiler.ir;

import java.util.List;
import java.util.Optional;

/**
 * One route. {@code name} is stable and readable ({@code host/index-description}) so Envoy stats
 * and config dumps point back at the policy; {@code origin} is {@code file:line:col}. What it asks
 * of callers is in {@code security}, what it does at the boundary in {@code boundary}; the
 * accessors below read through them.
 */
public record RouteIr(
    String name,
    String origin,
    RouteMatchIr match,
    RouteActionIr action,
    List<HeaderMutationIr> headerMutations,
    RouteSecurityIr security,
    RouteBoundaryIr boundary) {
  public RouteIr {
    headerMutations = List.copyOf(headerMutations);
  }

  /** A route that asks nothing of callers and does nothing at the boundary. */
  public RouteIr(
      String name,
      String origin,
      RouteMatchIr match,
      RouteActionIr action,
      List<HeaderMutationIr> headerMutations) {
    this(name, origin, match, action, headerMutations, RouteSecurityIr.NONE, RouteBoundaryIr.NONE);
  }

  /** This route with {@code rateLimit} (local rate limits, issue 13). */
  public RouteIr withRateLimit(Optional<RateLimitIr> rateLimit) {
    return new RouteIr(
        name, origin, match, action, headerMutations, security, boundary.withRateLimit(rateLimit));
  }

  /** Whether the route requires a key of some provider. */
  public boolean requiresApiKey() {
    return apiKey().flatMap(ApiKeyIr::provider).isPresent();
  }

  /** Whether the route requires a user of some basic-auth provider. */
  public boolean requiresBasicAuth() {
    return basicAuth().isPresent();
  }

  public Optional<CorsIr> cors() {
    return security.cors();
  }

  public Optional<JwtIr> jwt() {
    return security.jwt();
  }

  public Optional<String> extAuthz() {
    return security.extAuthz();
  }

  public Optional<ApiKeyIr> apiKey() {
    return security.apiKey();
  }

  public Optional<String> oidc() {
    return security.oidc();
  }

  public Optional<BasicAuthIr> basicAuth() {
    return security.basicAuth();
  }

  public Optional<RateLimitIr> rateLimit() {
    return boundary.rateLimit();
  }

  public Optional<CompressionIr> compression() {
    return boundary.compression();
  }

  public Optional<Long> maxRequestBytes() {
    return boundary.maxRequestBytes();
  }

  public List<ErrorResponseIr> errorResponses() {
    return boundary.errorResponses();
  }

  public GrpcIr grpc() {
    return boundary.grpc();
  }

  public Optional<Integer> traceSample() {
    return boundary.traceSample();
  }
}
