package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.MeshIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.SidecarIr;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.ForwardClientCertDetails;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.SetCurrentClientCertDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sidecar's inbound listener {@code <svc>:inbound}: terminate mTLS, authorize, forward to the
 * local application (cluster {@code <svc>.app}).
 *
 * <ul>
 *   <li>{@code mtls strict}: one filter chain, TLS with a required client certificate.
 *   <li>{@code mtls permissive}: a TLS inspector tells TLS from plaintext; TLS takes the same chain
 *       as strict (matched on transport protocol "tls"), plaintext the default chain, where callers
 *       have no identity (only rules from {@code *} match them).
 * </ul>
 *
 * The route table {@code <svc>:inbound} comes over RDS (ADS) although it only ever points at the
 * app: it carries the authorization rules ({@link Rbac#perRouteConfig}), and an RDS update reaches
 * established connections at once, where a listener change would only reach new ones (old
 * connections keep the old filter chain while it drains). So the listener depends on the service,
 * its addresses and {@code mtls} only, never on a rule or {@code authz default}.
 *
 * <p>A {@code tcp} service is the exception: its chains carry network filters (network RBAC, then
 * tcp_proxy to the app; see {@link NetworkRbac}) and there is no RDS at L4, so its rules are in the
 * listener and a rule change reaches new connections only.
 */
final class InboundListeners {
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

  private InboundListeners() {}

  static String name(SidecarIr sidecar) {
    return sidecar.service() + ":inbound";
  }

  static Listener listener(SidecarIr sidecar) {
    Listener.Builder listener =
        Listener.newBuilder()
            .setName(name(sidecar))
            .setAddress(Listeners.address(sidecar.inbound().address(), sidecar.inbound().port()));
    boolean tcp = sidecar.protocol() == Protocol.TCP;
    FilterChain.Builder tls =
        FilterChain.newBuilder()
            .setTransportSocket(DownstreamTls.transportSocket())
            .addAllFilters(
                tcp
                    ? tcpFilters(sidecar)
                    : List.of(Listeners.hcmFilter(connectionManager(sidecar))));
    if (tcp) {
      // Named, so a rule change (a new chain) is an in-place filter-chain update: new connections
      // take the new chain at once, established ones keep theirs while it drains.
      tls.setName("tls");
    }
    if (sidecar.mtls() == MeshIr.Mtls.STRICT) {
      listener.addFilterChains(tls);
    } else {
      FilterChain.Builder plaintext =
          FilterChain.newBuilder()
              .addAllFilters(
                  tcp
                      ? tcpFilters(sidecar)
                      : List.of(Listeners.hcmFilter(connectionManager(sidecar))));
      if (tcp) {
        plaintext.setName("plaintext");
      }
      listener
          .addListenerFilters(
              ListenerFilter.newBuilder()
                  .setName(TLS_INSPECTOR)
                  .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())))
          .addFilterChains(
              tls.setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls")))
          .setDefaultFilterChain(plaintext);
    }
    return listener.build();
  }

  /**
   * A {@code tcp} service: no HTTP, so no RDS either. Network RBAC on the peer's identity ({@link
   * NetworkRbac}), then tcp_proxy to the app (stats {@code tcp.<svc>_inbound.*}).
   */
  private static List<Filter> tcpFilters(SidecarIr sidecar) {
    List<Filter> filters = new ArrayList<>(NetworkRbac.filters(sidecar));
    filters.add(TcpProxies.filter(sidecar.service() + "_inbound", sidecar.appCluster()));
    return filters;
  }

  /**
   * The inbound route table, for HTTP services only (a tcp service's rules live in its listener).
   */
  static Optional<RouteConfiguration> routesIfHttp(SidecarIr sidecar) {
    return sidecar.protocol() == Protocol.TCP ? Optional.empty() : Optional.of(routes(sidecar));
  }

  private static HttpConnectionManager connectionManager(SidecarIr sidecar) {
    return Tracing.apply(
            Listeners.common(sidecar.service() + "_inbound", sidecar.accessLog()),
            sidecar.tracing())
        .setRds(Listeners.rds(name(sidecar)))
        .addAllHttpFilters(HttpFilters.sidecarInbound(sidecar))
        // The app learns who called: x-forwarded-client-cert carries the caller's SPIFFE ID
        // (URI), and whatever a caller sent in that header itself is dropped first.
        .setForwardClientCertDetails(ForwardClientCertDetails.SANITIZE_SET)
        .setSetCurrentClientCertDetails(SetCurrentClientCertDetails.newBuilder().setUri(true))
        .build();
  }

  /** The RDS resource {@code <svc>:inbound}: everything to the app, under the service's rules. */
  static RouteConfiguration routes(SidecarIr sidecar) {
    return RouteConfiguration.newBuilder()
        .setName(name(sidecar))
        .addVirtualHosts(
            VirtualHost.newBuilder()
                .setName(sidecar.service())
                .addDomains("*")
                // On the virtual host rather than the route: any route it ever gets is covered.
                .putAllTypedPerFilterConfig(Rbac.perRouteConfig(sidecar))
                .addRoutes(
                    Route.newBuilder()
                        .setName(sidecar.service() + "/app")
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(
                            RouteAction.newBuilder()
                                .setCluster(sidecar.appCluster())
                                // No limit here: the caller's sidecar enforces the timeout its
                                // `call` declares; a second, shorter one would silently win.
                                .setTimeout(com.google.protobuf.Duration.getDefaultInstance()))))
        .build();
  }
}
