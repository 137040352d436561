package dev.meshgate.compiler.ir;

import java.util.List;
import java.util.Optional;

/**
 * An edge gateway: its listeners, its virtual hosts (shared by every listener, in policy order,
 * because Envoy picks a virtual host by domain, not by order) and the clusters its routes send to
 * (sorted by name). {@code identity} is its SPIFFE ID when the policy has services in the mesh (it
 * then calls them over mTLS).
 */
public record GatewayIr(
    String name,
    List<ListenerIr> listeners,
    List<VirtualHostIr> hosts,
    List<ClusterIr> clusters,
    Optional<String> identity,
    List<CertificateIr> certificates,
    Optional<String> zone,
    Optional<AccessLogIr> accessLog,
    ConnectionLimitsIr limits,
    Optional<TracingIr> tracing,
    Optional<RateLimitServiceIr> rateLimitService,
    List<ErrorResponseIr> errorResponses,
    GatewayAuthIr auth) {
  public GatewayIr {
    listeners = List.copyOf(listeners);
    hosts = List.copyOf(hosts);
    clusters = List.copyOf(clusters);
    certificates = List.copyOf(certificates);
    errorResponses = List.copyOf(errorResponses);
  }

  /** A gateway outside any mesh, with plain listeners and nothing but routes. */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters) {
    this(
        name,
        listeners,
        hosts,
        clusters,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        ConnectionLimitsIr.DEFAULTS,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        GatewayAuthIr.NONE);
  }

  public List<JwtIr.ProviderIr> jwtProviders() {
    return auth.jwtProviders();
  }

  public List<ApiKeyIr.ProviderIr> apiKeyProviders() {
    return auth.apiKeyProviders();
  }

  public List<BasicAuthIr.ProviderIr> basicAuthProviders() {
    return auth.basicAuthProviders();
  }

  public List<OidcIr> oidcProviders() {
    return auth.oidcProviders();
  }

  public List<ExtAuthzIr> extAuthz() {
    return auth.extAuthz();
  }
}
