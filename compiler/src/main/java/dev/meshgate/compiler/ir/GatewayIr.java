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
    List<JwtIr.ProviderIr> jwtProviders,
    Optional<String> zone,
    Optional<AccessLogIr> accessLog,
    ConnectionLimitsIr limits,
    Optional<TracingIr> tracing,
    Optional<RateLimitServiceIr> rateLimitService,
    List<ExtAuthzIr> extAuthz,
    List<ErrorResponseIr> errorResponses,
    List<ApiKeyIr.ProviderIr> apiKeyProviders,
    List<OidcIr> oidcProviders,
    List<BasicAuthIr.ProviderIr> basicAuthProviders) {
  public GatewayIr {
    oidcProviders = List.copyOf(oidcProviders);
    apiKeyProviders = List.copyOf(apiKeyProviders);
    basicAuthProviders = List.copyOf(basicAuthProviders);
    errorResponses = List.copyOf(errorResponses);
    listeners = List.copyOf(listeners);
    hosts = List.copyOf(hosts);
    clusters = List.copyOf(clusters);
    certificates = List.copyOf(certificates);
    jwtProviders = List.copyOf(jwtProviders);
    extAuthz = List.copyOf(extAuthz);
  }

  /** A gateway without OIDC providers and {@code basic-auth} blocks (issue 12). */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters,
      Optional<String> identity,
      List<CertificateIr> certificates,
      List<JwtIr.ProviderIr> jwtProviders,
      Optional<String> zone,
      Optional<AccessLogIr> accessLog,
      ConnectionLimitsIr limits,
      Optional<TracingIr> tracing,
      Optional<RateLimitServiceIr> rateLimitService,
      List<ExtAuthzIr> extAuthz,
      List<ErrorResponseIr> errorResponses,
      List<ApiKeyIr.ProviderIr> apiKeyProviders) {
    this(
        name,
        listeners,
        hosts,
        clusters,
        identity,
        certificates,
        jwtProviders,
        zone,
        accessLog,
        limits,
        tracing,
        rateLimitService,
        extAuthz,
        errorResponses,
        apiKeyProviders,
        List.of(),
        List.of());
  }

  /** A gateway without {@code api-keys} blocks (api keys, issue 12). */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters,
      Optional<String> identity,
      List<CertificateIr> certificates,
      List<JwtIr.ProviderIr> jwtProviders,
      Optional<String> zone,
      Optional<AccessLogIr> accessLog,
      ConnectionLimitsIr limits,
      Optional<TracingIr> tracing,
      Optional<RateLimitServiceIr> rateLimitService,
      List<ExtAuthzIr> extAuthz,
      List<ErrorResponseIr> errorResponses) {
    this(
        name,
        listeners,
        hosts,
        clusters,
        identity,
        certificates,
        jwtProviders,
        zone,
        accessLog,
        limits,
        tracing,
        rateLimitService,
        extAuthz,
        errorResponses,
        List.of());
  }

  /** A gateway without error responses of its own (custom responses, issue 13). */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters,
      Optional<String> identity,
      List<CertificateIr> certificates,
      List<JwtIr.ProviderIr> jwtProviders,
      Optional<String> zone,
      Optional<AccessLogIr> accessLog,
      ConnectionLimitsIr limits,
      Optional<TracingIr> tracing,
      Optional<RateLimitServiceIr> rateLimitService,
      List<ExtAuthzIr> extAuthz) {
    this(
        name,
        listeners,
        hosts,
        clusters,
        identity,
        certificates,
        jwtProviders,
        zone,
        accessLog,
        limits,
        tracing,
        rateLimitService,
        extAuthz,
        List.of());
  }

  /** A gateway without external authorization services (issue 12). */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters,
      Optional<String> identity,
      List<CertificateIr> certificates,
      List<JwtIr.ProviderIr> jwtProviders,
      Optional<String> zone,
      Optional<AccessLogIr> accessLog,
      ConnectionLimitsIr limits,
      Optional<TracingIr> tracing,
      Optional<RateLimitServiceIr> rateLimitService) {
    this(
        name,
        listeners,
        hosts,
        clusters,
        identity,
        certificates,
        jwtProviders,
        zone,
        accessLog,
        limits,
        tracing,
        rateLimitService,
        List.of());
  }

  /** A gateway without a rate-limit service (global rate limits, issue 13). */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters,
      Optional<String> identity,
      List<CertificateIr> certificates,
      List<JwtIr.ProviderIr> jwtProviders,
      Optional<String> zone,
      Optional<AccessLogIr> accessLog,
      ConnectionLimitsIr limits,
      Optional<TracingIr> tracing) {
    this(
        name,
        listeners,
        hosts,
        clusters,
        identity,
        certificates,
        jwtProviders,
        zone,
        accessLog,
        limits,
        tracing,
        Optional.empty());
  }

  /**
   * A gateway without {@code access-log} (Envoy's default line on stdout), with Envoy's connection
   * limits (issue 13) and without tracing.
   */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters,
      Optional<String> identity,
      List<CertificateIr> certificates,
      List<JwtIr.ProviderIr> jwtProviders,
      Optional<String> zone) {
    this(
        name,
        listeners,
        hosts,
        clusters,
        identity,
        certificates,
        jwtProviders,
        zone,
        Optional.empty(),
        ConnectionLimitsIr.DEFAULTS,
        Optional.empty());
  }

  /** A gateway without JWT providers and without {@code zone} (no preferred locality). */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters,
      Optional<String> identity,
      List<CertificateIr> certificates) {
    this(name, listeners, hosts, clusters, identity, certificates, List.of(), Optional.empty());
  }

  /** A gateway without TLS listeners. */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters,
      Optional<String> identity) {
    this(name, listeners, hosts, clusters, identity, List.of());
  }

  /** A gateway outside any mesh. */
  public GatewayIr(
      String name,
      List<ListenerIr> listeners,
      List<VirtualHostIr> hosts,
      List<ClusterIr> clusters) {
    this(name, listeners, hosts, clusters, Optional.empty());
  }
}
