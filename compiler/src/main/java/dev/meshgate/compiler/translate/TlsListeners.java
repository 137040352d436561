package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.compiler.ir.CertificateIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.TlsIr;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.ForwardClientCertDetails;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.SetCurrentClientCertDetails;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTPS at the gateway (issue 12): a TLS listener has one filter chain per certificate, chosen by
 * the client's SNI (the TLS inspector reads it), each terminating TLS with that certificate from
 * SDS and then running the same HTTP connection manager as a plain listener. A redirect listener
 * answers every request with a redirect to HTTPS and forwards nothing.
 */
final class TlsListeners {
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

  /**
   * TLS 1.2 suites when the policy names none: forward secrecy and AEAD only (TLS 1.3 suites are
   * all safe and not configurable in Envoy).
   */
  static final List<String> DEFAULT_CIPHERS =
      List.of(
          "ECDHE-ECDSA-AES128-GCM-SHA256",
          "ECDHE-RSA-AES128-GCM-SHA256",
          "ECDHE-ECDSA-AES256-GCM-SHA384",
          "ECDHE-RSA-AES256-GCM-SHA384",
          "ECDHE-ECDSA-CHACHA20-POLY1305",
          "ECDHE-RSA-CHACHA20-POLY1305");

  private TlsListeners() {}

  static Listener tls(
      GatewayIr gateway, ListenerIr listener, TlsIr tls, List<HttpFilter> httpFilters) {
    Listener.Builder envoy =
        Listener.newBuilder()
            .setName(listener.resourceName(gateway.name()))
            .setAddress(Listeners.address(listener.address(), listener.port()))
            .addListenerFilters(
                ListenerFilter.newBuilder()
                    .setName(TLS_INSPECTOR)
                    .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
    HttpConnectionManager hcm = connectionManager(gateway, listener, tls, httpFilters);
    for (CertificateIr certificate : gateway.certificates()) {
      FilterChainMatch.Builder match = FilterChainMatch.newBuilder();
      // "*" is the default chain: clients without SNI, or asking for a name no other names.
      certificate.serverNames().stream().filter(n -> !n.equals("*")).forEach(match::addServerNames);
      envoy.addFilterChains(
          FilterChain.newBuilder()
              .setName(certificate.secretName())
              .setFilterChainMatch(match)
              .setTransportSocket(transportSocket(certificate, tls))
              .addFilters(Listeners.hcmFilter(hcm)));
    }
    return envoy.build();
  }

  private static HttpConnectionManager connectionManager(
      GatewayIr gateway, ListenerIr listener, TlsIr tls, List<HttpFilter> httpFilters) {
    HttpConnectionManager.Builder hcm =
        CustomResponses.localReplies( // custom responses (issue 13)
                gateway,
                Tracing.apply(
                    RequestLimits.connection(
                        gateway.limits(),
                        Listeners.common(
                            gateway.name() + "_" + listener.port(), gateway.accessLog())),
                    gateway.tracing()))
            .setRds(Listeners.rds(RouteConfigurations.name(gateway.name())))
            .addAllHttpFilters(httpFilters)
            .setStripAnyHostPort(true)
            .setUseRemoteAddress(BoolValue.of(true));
    if (tls.clientCertificate().isPresent()) {
      // The verified client certificate reaches routes and the upstream as
      // x-forwarded-client-cert, set by Envoy alone: whatever a client sent in it is replaced.
      hcm.setForwardClientCertDetails(ForwardClientCertDetails.SANITIZE_SET)
          .setSetCurrentClientCertDetails(
              SetCurrentClientCertDetails.newBuilder()
                  .setSubject(BoolValue.of(true))
                  .setUri(true)
                  .setDns(true));
    }
    return hcm.build();
  }

  private static TransportSocket transportSocket(CertificateIr certificate, TlsIr tls) {
    CommonTlsContext.Builder common =
        CommonTlsContext.newBuilder()
            .addTlsCertificateSdsSecretConfigs(secret(certificate.secretName()))
            .setTlsParams(
                TlsParameters.newBuilder()
                    .setTlsMinimumProtocolVersion(version(tls.minVersion()))
                    .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3)
                    .addAllCipherSuites(tls.ciphers().isEmpty() ? DEFAULT_CIPHERS : tls.ciphers()))
            // HTTP/2 when the client offers it; the connection manager's codec follows ALPN.
            .addAlpnProtocols("h2")
            .addAlpnProtocols("http/1.1");
    DownstreamTlsContext.Builder context = DownstreamTlsContext.newBuilder();
    tls.clientCertificate()
        .ifPresent(
            client -> {
              common.setValidationContextSdsSecretConfig(secret(client.secretName()));
              context.setRequireClientCertificate(BoolValue.of(client.required()));
            });
    return TransportSocket.newBuilder()
        .setName(UpstreamTls.TLS)
        .setTypedConfig(Any.pack(context.setCommonTlsContext(common).build()))
        .build();
  }

  private static TlsParameters.TlsProtocol version(String version) {
    return version.equals("1.3")
        ? TlsParameters.TlsProtocol.TLSv1_3
        : TlsParameters.TlsProtocol.TLSv1_2;
  }

  private static SdsSecretConfig secret(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSources.ads()).build();
  }

  /** Every request, whatever its host and path, is redirected (301) to HTTPS on {@code port}. */
  static Listener redirect(
      String gateway,
      ListenerIr listener,
      int port,
      java.util.Optional<dev.meshgate.compiler.ir.AccessLogIr> accessLog,
      dev.meshgate.compiler.ir.ConnectionLimitsIr limits) {
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName(listener.resourceName(gateway) + "_https_redirect")
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName("https_redirect")
                    .addDomains("*")
                    .addRoutes(
                        Route.newBuilder()
                            .setName("https_redirect")
                            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                            .setRedirect(
                                RedirectAction.newBuilder()
                                    .setHttpsRedirect(true)
                                    .setPortRedirect(port))))
            .build();
    HttpConnectionManager hcm =
        RequestLimits.connection(
                limits, Listeners.common(gateway + "_" + listener.port(), accessLog))
            .setRouteConfig(routes)
            .addAllHttpFilters(HttpFilters.chain(java.util.Map.of()))
            .setStripAnyHostPort(true)
            .setUseRemoteAddress(BoolValue.of(true))
            .build();
    return Listener.newBuilder()
        .setName(listener.resourceName(gateway))
        .setAddress(Listeners.address(listener.address(), listener.port()))
        .addFilterChains(FilterChain.newBuilder().addFilters(Listeners.hcmFilter(hcm)))
        .build();
  }

  /** The SDS secrets a gateway's listeners reference, with where the server gets them. */
  static List<GatewaySecret> secrets(GatewayIr gateway) {
    List<GatewaySecret> secrets = new ArrayList<>();
    boolean terminates = gateway.listeners().stream().anyMatch(l -> l.tls().isPresent());
    if (!terminates) {
      return List.of();
    }
    for (CertificateIr certificate : gateway.certificates()) {
      secrets.add(
          switch (certificate.source()) {
            case CertificateIr.Source.Files f ->
                new GatewaySecret.CertificateFiles(
                    certificate.secretName(), f.chainFile(), f.keyFile());
            case CertificateIr.Source.BuiltInCa b ->
                new GatewaySecret.IssuedCertificate(
                    certificate.secretName(), certificate.serverNames());
          });
    }
    for (ListenerIr listener : gateway.listeners()) {
      listener
          .tls()
          .flatMap(TlsIr::clientCertificate)
          .ifPresent(c -> secrets.add(new GatewaySecret.TrustedCaFile(c.secretName(), c.caFile())));
    }
    secrets.sort(java.util.Comparator.comparing(GatewaySecret::name));
    return List.copyOf(secrets);
  }
}
