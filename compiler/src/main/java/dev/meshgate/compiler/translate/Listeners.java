package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.ListenerIr;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.CodecType;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.PathWithEscapedSlashesAction;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.ServerHeaderTransformation;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.List;

/**
 * One Listener per {@code listen}: a single filter chain with the HTTP connection manager, whose
 * routes come over RDS (ADS) from the RouteConfiguration named after the gateway.
 */
final class Listeners {
  static final String HCM = "envoy.filters.network.http_connection_manager";

  private Listeners() {}

  static Listener gateway(GatewayIr ir, ListenerIr listener) {
    List<HttpFilter> filters = HttpFilters.gateway(ir);
    if (listener.tls().isPresent()) {
      return TlsListeners.tls(ir, listener, listener.tls().get(), filters);
    }
    if (listener.redirectToHttpsPort().isPresent()) {
      return TlsListeners.redirect(
          ir.name(), listener, listener.redirectToHttpsPort().get(), ir.accessLog(), ir.limits());
    }
    String gateway = ir.name();
    return Listener.newBuilder()
        .setName(listener.resourceName(gateway))
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder()
                        .setAddress(listener.address())
                        .setPortValue(listener.port())))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName(HCM)
                        .setTypedConfig(Any.pack(connectionManager(ir, listener, filters)))))
        .build();
  }

  private static HttpConnectionManager connectionManager(
      GatewayIr gateway, ListenerIr listener, List<HttpFilter> filters) {
    return CustomResponses.localReplies( // custom responses (issue 13)
            gateway,
            Tracing.apply(
                RequestLimits.connection(
                    gateway.limits(),
                    common(gateway.name() + "_" + listener.port(), gateway.accessLog())),
                gateway.tracing()))
        .setRds(rds(RouteConfigurations.name(gateway.name())))
        .addAllHttpFilters(filters)
        // No strip_any_host_port: the route table ignores the port when it picks a virtual host
        // (RouteConfigurations), and the Host header keeps it, so a redirect that changes only
        // the path sends the client back to the port it used.
        // An edge proxy: the client is the peer of the TCP connection, so x-forwarded-for and
        // x-envoy-internal are computed from it rather than trusted from the request.
        .setUseRemoteAddress(BoolValue.of(true))
        .build();
  }

  static Rds rds(String routeConfigName) {
    return Rds.newBuilder()
        .setConfigSource(ConfigSources.ads())
        .setRouteConfigName(routeConfigName)
        .build();
  }

  static Address address(String address, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(port))
        .build();
  }

  static Filter hcmFilter(HttpConnectionManager hcm) {
    return Filter.newBuilder().setName(HCM).setTypedConfig(Any.pack(hcm)).build();
  }

  /** What every connection manager of every role shares: path hygiene, headers, access log. */
  static HttpConnectionManager.Builder common(
      String statPrefix, java.util.Optional<dev.meshgate.compiler.ir.AccessLogIr> accessLog) {
    return HttpConnectionManager.newBuilder()
        .setCodecType(CodecType.AUTO)
        .setStatPrefix(statPrefix)
        // Route matching (and RBAC path rules) see the path the upstream will see: "/a/../b" and
        // "/a//b" cannot
        // slip past a `/b/**` rule (or into a route they should not reach).
        .setNormalizePath(BoolValue.of(true))
        .setMergeSlashes(true)
        // %2F and %5C are the classic path-confusion trick: the proxy matches
        // "/public%2F..%2Fadmin"
        // as one segment while an upstream decodes it. Rejecting breaks clients that send such
        // paths legitimately, forwarding unescaped silently changes what the upstream gets;
        // redirecting to the unescaped path (Envoy's recommended setting) makes every hop agree
        // on one path. gRPC paths never contain escaped slashes, so gRPC loses nothing.
        .setPathWithEscapedSlashesAction(PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT)
        // Envoy's default (OVERWRITE) would stamp "server: envoy" after route header
        // mutations run, so `remove response-header "server"` could never work and every
        // response would advertise the proxy. Pass the upstream's header through instead.
        .setServerHeaderTransformation(ServerHeaderTransformation.PASS_THROUGH)
        // access logs (issue 15): the policy's access-log, else Envoy's default line on stdout.
        .addAccessLog(AccessLogs.accessLog(accessLog));
  }
}
