package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.ExtAuthzIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.RouteIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.AuthorizationResponse;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.CheckSettings;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.HttpService;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * external authorization (issue 12; setting unit {@code setting/ExtAuthzRequirements}): each {@code
 * ext-authz} service some route requires becomes one {@code envoy.filters.http.ext_authz} filter
 * (slot {@link HttpFilters.Slot#EXT_AUTHZ}: after JWT, so the service sees claim headers; before
 * RBAC and rate limits), named {@code envoy.filters.http.ext_authz/<service>}, and one cluster
 * {@code ext-authz:<service>} (HTTP/2 for gRPC). The filter is {@code disabled} in the chain, and a
 * route that requires the service enables it with its per-route config ({@code check_settings},
 * telling the service the route's name in {@code context_extensions}): a route that requires
 * nothing, or says {@code ext-authz off}, never calls the service, and a route can only be decided
 * by the one service it names.
 *
 * <p>{@code failure_mode_allow} is {@code on-error allow}: when the service fails or is late, the
 * request passes; else Envoy answers 403. A gRPC service gets every request header unless {@code
 * send-headers} narrows them ({@code allowed_headers}), and the headers of its OK answer go
 * upstream; an HTTP service is sent the request's method and path (under {@code path-prefix}) with
 * Envoy's few default headers plus {@code send-headers}, and only {@code upstream-headers} of its
 * 2xx answer go upstream. A denial's status, headers and body reach the client as the service set
 * them.
 */
final class ExtAuthz {
  static final String FILTER = "envoy.filters.http.ext_authz";

  private ExtAuthz() {}

  /** The filter of one service in the chain; the key of its per-route config. */
  static String filterName(String service) {
    return FILTER + "/" + service;
  }

  /** The services some route of the gateway requires, by name. */
  private static List<ExtAuthzIr> used(GatewayIr gateway) {
    Set<String> required =
        gateway.hosts().stream()
            .flatMap(h -> h.routes().stream())
            .flatMap(r -> r.extAuthz().stream())
            .collect(Collectors.toSet());
    return gateway.extAuthz().stream().filter(e -> required.contains(e.name())).toList();
  }

  /** One disabled filter per service in use, enabled by the routes that require it. */
  static List<HttpFilter> filters(GatewayIr gateway) {
    return used(gateway).stream()
        .map(e ->
            HttpFilter.newBuilder()
                .setName(filterName(e.name()))
                .setTypedConfig(Any.pack(config(e)))
                .setDisabled(true)
                .build())
        .toList();
  }

  private static io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz config(
      ExtAuthzIr e) {
    var config =
        io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz.newBuilder()
            .setTransportApiVersion(ApiVersion.V3)
            .setFailureModeAllow(e.failOpen())
            .setStatPrefix(e.name().replaceAll("[^A-Za-z0-9_-]", "_"));
    if (!e.sendHeaders().isEmpty()) {
      config.setAllowedHeaders(exact(e.sendHeaders()));
    }
    com.google.protobuf.Duration timeout = ProtoDurations.of(e.timeout());
    switch (e.kind()) {
      case GRPC ->
          config.setGrpcService(
              GrpcService.newBuilder()
                  .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(e.cluster()))
                  .setTimeout(timeout));
      case HTTP -> {
        HttpService.Builder http =
            HttpService.newBuilder()
                .setServerUri(
                    HttpUri.newBuilder()
                        .setUri("http://" + e.host() + ":" + e.port())
                        .setCluster(e.cluster())
                        .setTimeout(timeout));
        e.pathPrefix().ifPresent(http::setPathPrefix);
        if (!e.upstreamHeaders().isEmpty()) {
          http.setAuthorizationResponse(
              AuthorizationResponse.newBuilder()
                  .setAllowedUpstreamHeaders(exact(e.upstreamHeaders())));
        }
        config.setHttpService(http);
      }
    }
    return config.build();
  }

  private static ListStringMatcher exact(List<String> names) {
    ListStringMatcher.Builder list = ListStringMatcher.newBuilder();
    names.forEach(n -> list.addPatterns(StringMatcher.newBuilder().setExact(n)));
    return list.build();
  }

  /** A route that requires a service enables that service's filter. */
  static void apply(RouteIr route, Route.Builder envoy) {
    route
        .extAuthz()
        .ifPresent(service ->
            envoy.putTypedPerFilterConfig(
                filterName(service),
                Any.pack(
                    ExtAuthzPerRoute.newBuilder()
                        .setCheckSettings(
                            CheckSettings.newBuilder().putContextExtensions("route", route.name()))
                        .build())));
  }

  /** The clusters of the services in use. */
  static List<Cluster> clusters(GatewayIr gateway) {
    return used(gateway).stream().map(ExtAuthz::cluster).toList();
  }

  private static Cluster cluster(ExtAuthzIr e) {
    Cluster.Builder cluster = Clusters.singleAddress(e.cluster(), e.host(), e.port());
    Clusters.protocolOptions(
        e.kind() == ExtAuthzIr.Kind.GRPC ? Protocol.GRPC : Protocol.HTTP, cluster);
    return cluster.build();
  }
}
