package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.JwtIr;
import dev.meshgate.compiler.ir.RouteIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwksAsyncFetch;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtClaimToHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementOrList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.PerRouteConfig;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RemoteJwks;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Optional;

/**
 * jwt (issue 12): Envoy's {@code envoy.filters.http.jwt_authn} (slot {@link HttpFilters.Slot#JWT}).
 * The gateway's providers and one named requirement per provider ({@code "auth0"}, and {@code
 * "auth0/optional"}: a missing token passes, a bad one does not) sit in the listener's filter; each
 * route names its requirement in per-route config, so a requirement change is an RDS update. A
 * route that requires nothing gets no per-route config, and the filter (which has no rules of its
 * own) does nothing for it. Verified payloads go to the dynamic metadata {@code
 * envoy.filters.http.jwt_authn / jwt_payload} (scopes split into a list), where {@link JwtRules}
 * reads the claim rules. Remote JWKS are fetched through a cluster {@code jwks:<provider>} made
 * here (STATIC for an IP, STRICT_DNS for a name; for https, TLS verified against {@link
 * #SYSTEM_CA_BUNDLE} and the URL's host name).
 */
final class Jwt {
  static final String FILTER = "envoy.filters.http.jwt_authn";

  /** The dynamic-metadata key the verified payload is written under. */
  static final String PAYLOAD = "jwt_payload";

  static final String OPTIONAL_SUFFIX = "/optional";

  /**
   * The operating system's CA bundle on the gateway's host (Debian, Ubuntu, Alpine and the Envoy
   * images), which an https JWKS is verified against. Not {@code system_root_certs}: Envoy does not
   * implement it (gRPC does) and refuses a SAN match without a trusted CA.
   */
  static final String SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

  private static final com.google.protobuf.Duration FETCH_TIMEOUT =
      com.google.protobuf.Duration.newBuilder().setSeconds(5).build();

  private Jwt() {}

  static boolean used(GatewayIr gateway) {
    return !gateway.jwtProviders().isEmpty()
        && gateway.hosts().stream()
            .flatMap(h -> h.routes().stream())
            .anyMatch(r -> r.jwt().flatMap(JwtIr::provider).isPresent());
  }

  static HttpFilter filter(GatewayIr gateway) {
    JwtAuthentication.Builder config =
        JwtAuthentication.newBuilder()
            // The CORS filter answers preflights first anyway; a preflight never carries a token.
            .setBypassCorsPreflight(true);
    for (JwtIr.ProviderIr provider : gateway.jwtProviders()) {
      config.putProviders(provider.name(), provider(provider));
      config.putRequirementMap(
          provider.name(), JwtRequirement.newBuilder().setProviderName(provider.name()).build());
      config.putRequirementMap(
          provider.name() + OPTIONAL_SUFFIX,
          JwtRequirement.newBuilder()
              .setRequiresAny(
                  JwtRequirementOrList.newBuilder()
                      .addRequirements(JwtRequirement.newBuilder().setProviderName(provider.name()))
                      .addRequirements(
                          JwtRequirement.newBuilder().setAllowMissing(Empty.getDefaultInstance())))
              .build());
    }
    return HttpFilter.newBuilder().setName(FILTER).setTypedConfig(Any.pack(config.build())).build();
  }

  private static JwtProvider provider(JwtIr.ProviderIr provider) {
    JwtProvider.Builder envoy =
        JwtProvider.newBuilder()
            .setIssuer(provider.issuer())
            .addAllAudiences(provider.audiences())
            .setPayloadInMetadata(PAYLOAD)
            .setNormalizePayloadInMetadata(
                JwtProvider.NormalizePayload.newBuilder().addSpaceDelimitedClaims("scope"));
    switch (provider.jwks()) {
      case JwtIr.JwksIr.Remote r ->
          envoy.setRemoteJwks(
              RemoteJwks.newBuilder()
                  .setHttpUri(
                      HttpUri.newBuilder()
                          .setUri(r.url())
                          .setCluster(r.cluster())
                          .setTimeout(FETCH_TIMEOUT))
                  .setCacheDuration(ProtoDurations.of(r.cache()))
                  // Fetch at start and on expiry in the background; requests never wait for it.
                  .setAsyncFetch(JwksAsyncFetch.getDefaultInstance()));
      case JwtIr.JwksIr.Local l ->
          envoy.setLocalJwks(DataSource.newBuilder().setFilename(l.file()));
    }
    for (JwtIr.TokenSourceIr from : provider.from()) {
      switch (from.kind()) {
        case HEADER ->
            envoy.addFromHeaders(
                JwtHeader.newBuilder().setName(from.name()).setValuePrefix(from.prefix()));
        case QUERY -> envoy.addFromParams(from.name());
        case COOKIE -> envoy.addFromCookies(from.name());
      }
    }
    for (JwtIr.ClaimHeaderIr claim : provider.claimHeaders()) {
      envoy.addClaimToHeaders(
          JwtClaimToHeader.newBuilder().setClaimName(claim.claim()).setHeaderName(claim.header()));
    }
    return envoy.build();
  }

  /** The route's requirement, by name; nothing when it requires no token. */
  static void apply(RouteIr route, Route.Builder envoy) {
    Optional<JwtIr> jwt = route.jwt();
    Optional<String> provider = jwt.flatMap(JwtIr::provider);
    if (provider.isEmpty()) {
      return;
    }
    String requirement = provider.get() + (jwt.get().optional() ? OPTIONAL_SUFFIX : "");
    envoy.putTypedPerFilterConfig(
        FILTER, Any.pack(PerRouteConfig.newBuilder().setRequirementName(requirement).build()));
  }

  /** The clusters the remote JWKS are fetched through. */
  static List<Cluster> clusters(GatewayIr gateway) {
    if (!used(gateway)) {
      return List.of();
    }
    return gateway.jwtProviders().stream()
        .flatMap(p ->
            p.jwks() instanceof JwtIr.JwksIr.Remote r
                ? java.util.stream.Stream.of(r)
                : java.util.stream.Stream.empty())
        .map(Jwt::cluster)
        .toList();
  }

  private static Cluster cluster(JwtIr.JwksIr.Remote jwks) {
    return fetchCluster(jwks.cluster(), jwks.host(), jwks.port(), jwks.tls());
  }

  /**
   * A cluster of one address that Envoy fetches from on its own (a JWKS, an OIDC token endpoint):
   * STATIC for an IP, STRICT_DNS for a name; for TLS, verified against {@link #SYSTEM_CA_BUNDLE}
   * and the host name.
   */
  static Cluster fetchCluster(String name, String host, int port, boolean tls) {
    Cluster.Builder cluster = Clusters.singleAddress(name, host, port);
    if (tls) {
      UpstreamTlsContext context =
          UpstreamTlsContext.newBuilder()
              .setSni(host)
              .setCommonTlsContext(
                  CommonTlsContext.newBuilder()
                      .setValidationContext(
                          CertificateValidationContext.newBuilder()
                              .setTrustedCa(DataSource.newBuilder().setFilename(SYSTEM_CA_BUNDLE))
                              .addMatchTypedSubjectAltNames(
                                  SubjectAltNameMatcher.newBuilder()
                                      .setSanType(SubjectAltNameMatcher.SanType.DNS)
                                      .setMatcher(StringMatcher.newBuilder().setExact(host)))))
              .build();
      cluster.setTransportSocket(
          TransportSocket.newBuilder().setName(UpstreamTls.TLS).setTypedConfig(Any.pack(context)));
    }
    return cluster.build();
  }
}
