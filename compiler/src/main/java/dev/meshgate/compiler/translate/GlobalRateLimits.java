package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.RateLimitIr;
import dev.meshgate.compiler.ir.RateLimitServiceIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.ratelimit.v3.RateLimitServiceConfig;
import io.envoyproxy.envoy.config.route.v3.RateLimit;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.metadata.v3.MetadataKey;
import java.util.List;

/**
 * global rate limits (issue 13; setting unit {@code setting/RateLimits}, service configuration
 * {@code dev.meshgate.compiler.RateLimitServiceConfigs}): Envoy's ratelimit filter (slot {@link
 * HttpFilters.Slot#RATE_LIMIT}) on a gateway whose routes have a {@code global} limit, asking the
 * gateway's rate-limit service (gRPC over the HTTP/2 cluster {@link RateLimitServiceIr#CLUSTER}) in
 * the gateway's domain. Each limited route carries, as the filter's per-route config, one
 * rate-limit action list making one descriptor: {@code ("route", <route name>)} so every route
 * counts on its own (a host's or gateway's limit is each route's default, as for local limits),
 * then the key's entry when the limit has one ({@code remote_address}, or {@code ("key", <header or
 * claim value>)}). A request without the key's value skips that entry and counts in the route's
 * unkeyed budget. Over the limit: 429 with the draft-03 {@code x-ratelimit-*} headers; no answer in
 * time: the request passes, or gets 500 with {@code fail-closed} ({@code failure_mode_deny}).
 */
final class GlobalRateLimits {
  static final String FILTER = "envoy.filters.http.ratelimit";

  /** The descriptor entry naming the route; its value is the route's name. */
  static final String ROUTE_KEY = "route";

  /** The descriptor entry of a header or claim value. */
  static final String VALUE_KEY = "key";

  /** Envoy names the client address entry itself. */
  static final String ADDRESS_KEY = "remote_address";

  static final String STAT_PREFIX = "global_rate_limit";

  private GlobalRateLimits() {}

  /** The filter, when the gateway has a rate-limit service and a route with a global limit. */
  static List<HttpFilter> filters(GatewayIr gateway) {
    if (!used(gateway)) {
      return List.of();
    }
    RateLimitServiceIr service = gateway.rateLimitService().orElseThrow();
    var config =
        io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimit.newBuilder()
            .setDomain(service.domain())
            .setStatPrefix(STAT_PREFIX)
            .setTimeout(ProtoDurations.of(service.timeout()))
            .setFailureModeDeny(service.failClosed())
            .setEnableXRatelimitHeaders(
                io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimit
                    .XRateLimitHeadersRFCVersion.DRAFT_VERSION_03)
            .setRateLimitService(
                RateLimitServiceConfig.newBuilder()
                    .setTransportApiVersion(ApiVersion.V3)
                    .setGrpcService(
                        GrpcService.newBuilder()
                            .setEnvoyGrpc(
                                GrpcService.EnvoyGrpc.newBuilder()
                                    .setClusterName(RateLimitServiceIr.CLUSTER))))
            .build();
    return List.of(
        HttpFilter.newBuilder().setName(FILTER).setTypedConfig(Any.pack(config)).build());
  }

  static boolean used(GatewayIr gateway) {
    return gateway.rateLimitService().isPresent()
        && gateway.hosts().stream()
            .flatMap(h -> h.routes().stream())
            .anyMatch(r -> r.rateLimit().filter(RateLimitIr::global).isPresent());
  }

  /** A route's global limit: the descriptor it sends, as the filter's per-route config. */
  static void apply(RateLimitIr limit, Route.Builder route) {
    RateLimit.Builder actions =
        RateLimit.newBuilder()
            .addActions(
                RateLimit.Action.newBuilder()
                    .setGenericKey(
                        RateLimit.Action.GenericKey.newBuilder()
                            .setDescriptorKey(ROUTE_KEY)
                            .setDescriptorValue(route.getName())));
    limit.key().ifPresent(key -> actions.addActions(action(key)));
    route.putTypedPerFilterConfig(
        FILTER, Any.pack(RateLimitPerRoute.newBuilder().addRateLimits(actions).build()));
  }

  private static RateLimit.Action action(RateLimitIr.Key key) {
    RateLimit.Action.Builder action = RateLimit.Action.newBuilder();
    switch (key) {
      case RateLimitIr.Key.ClientIp c ->
          action.setRemoteAddress(RateLimit.Action.RemoteAddress.getDefaultInstance());
      case RateLimitIr.Key.Header h ->
          action.setRequestHeaders(
              RateLimit.Action.RequestHeaders.newBuilder()
                  .setHeaderName(h.name())
                  .setDescriptorKey(VALUE_KEY)
                  .setSkipIfAbsent(true));
      case RateLimitIr.Key.JwtClaim c ->
          action.setMetadata(
              RateLimit.Action.MetaData.newBuilder()
                  .setDescriptorKey(VALUE_KEY)
                  .setMetadataKey(
                      MetadataKey.newBuilder()
                          .setKey(Jwt.FILTER)
                          .addPath(MetadataKey.PathSegment.newBuilder().setKey(Jwt.PAYLOAD))
                          .addPath(MetadataKey.PathSegment.newBuilder().setKey(c.claim())))
                  .setSource(RateLimit.Action.MetaData.Source.DYNAMIC)
                  .setSkipIfAbsent(true));
    }
    return action.build();
  }

  /** The service's cluster (gRPC needs HTTP/2), when the gateway uses it. */
  static List<Cluster> clusters(GatewayIr gateway) {
    if (!used(gateway)) {
      return List.of();
    }
    RateLimitServiceIr service = gateway.rateLimitService().orElseThrow();
    Cluster.Builder cluster =
        Clusters.singleAddress(RateLimitServiceIr.CLUSTER, service.host(), service.port());
    Clusters.protocolOptions(Protocol.GRPC, cluster);
    return List.of(cluster.build());
  }
}
