package dev.meshgate.compiler.translate;

import com.google.protobuf.Descriptors.Descriptor;
import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.ir.ClusterIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.SidecarIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * IR → Envoy v3 resources, one {@link ProxyResources} per proxy group (sorted by group). The work
 * is a plain mapping done by one small class per feature; this class only assembles them and keeps
 * every resource list sorted by name, so output is deterministic.
 */
public final class EnvoyTranslator {
  private EnvoyTranslator() {}

  public static List<ProxyResources> translate(PolicyIr ir) {
    return translate(ir, GroupMemo.NONE);
  }

  /** {@link #translate(PolicyIr)}, each group through {@code memo}. */
  static List<ProxyResources> translate(PolicyIr ir, GroupMemo memo) {
    Map<String, ServiceIr> services =
        ir.services().stream().collect(Collectors.toMap(ServiceIr::name, Function.identity()));
    // A cluster is a function of its IR alone, and in a mesh most of them are the same in every
    // group that calls the service (1,000 services calling 10 others each: 10,000 clusters, 1,000
    // distinct). Build each once per translation; protobuf messages are immutable, so the groups
    // share them. Same IR, same cluster: the output does not change, only its cost.
    Map<ClusterIr, Cluster> built = new HashMap<>();
    Function<ClusterIr, Cluster> clusters =
        c -> built.computeIfAbsent(c, k -> memo.cluster(k, Clusters::cluster));
    return java.util.stream.Stream.concat(
            ir.gateways().stream()
                .map(g -> memo.gateway(g, services, () -> gateway(g, services, clusters))),
            ir.sidecars().stream()
                .map(s -> memo.sidecar(s, services, () -> sidecar(s, services, clusters))))
        .sorted(Comparator.comparing(ProxyResources::group))
        .toList();
  }

  /**
   * How each group is translated: {@link #NONE} translates every group; {@link
   * IncrementalTranslator} returns the previous translation's resources where the group's inputs
   * are equal.
   */
  interface GroupMemo {
    GroupMemo NONE =
        new GroupMemo() {
          @Override
          public ProxyResources gateway(
              GatewayIr ir, Map<String, ServiceIr> services, Supplier<ProxyResources> translate) {
            return translate.get();
          }

          @Override
          public ProxyResources sidecar(
              SidecarIr ir, Map<String, ServiceIr> services, Supplier<ProxyResources> translate) {
            return translate.get();
          }
        };

    ProxyResources gateway(
        GatewayIr ir, Map<String, ServiceIr> services, Supplier<ProxyResources> translate);

    ProxyResources sidecar(
        SidecarIr ir, Map<String, ServiceIr> services, Supplier<ProxyResources> translate);

    /**
     * The cluster of {@code ir}, built by {@code build} or an earlier (equal) one: asked once per
     * distinct cluster IR of a translation, for those of the groups translated anew.
     */
    default Cluster cluster(ClusterIr ir, Function<ClusterIr, Cluster> build) {
      return build.apply(ir);
    }
  }

  /**
   * Every message type this package packs into an {@code Any}: JSON printing needs them in a {@code
   * TypeRegistry}. Keep in step with every {@code Any.pack} call here.
   */
  public static List<Descriptor> packedTypes() {
    return List.of(
        io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
            .HttpConnectionManager.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor(),
        io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDescriptor(),
        // access logs (issue 15)
        io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog.getDescriptor(),
        io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor(),
        io.envoyproxy.envoy.extensions.access_loggers.open_telemetry.v3.OpenTelemetryAccessLogConfig
            .getDescriptor(),
        io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute.getDescriptor(),
        io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor(),
        io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
            .getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector
            .getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDescriptor(),
        // jwt (issue 12)
        io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.PerRouteConfig.getDescriptor(),
        // api keys (issue 12)
        io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuth.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuthPerRoute
            .getDescriptor(),
        // oidc login (issue 12)
        io.envoyproxy.envoy.extensions.filters.http.oauth2.v3.OAuth2.getDescriptor(),
        io.envoyproxy.envoy.config.route.v3.FilterConfig.getDescriptor(),
        // basic auth (issue 12)
        io.envoyproxy.envoy.extensions.filters.http.basic_auth.v3.BasicAuth.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute.getDescriptor(),

        // resilience (issue 14)
        io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor(),
        // local rate limits (issue 13)
        io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
            .getDescriptor(),
        io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate
            .getDescriptor(),

        // compression and request limits (issue 13)
        io.envoyproxy.envoy.extensions.filters.http.compressor.v3.Compressor.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.compressor.v3.CompressorPerRoute
            .getDescriptor(),
        io.envoyproxy.envoy.extensions.compression.gzip.compressor.v3.Gzip.getDescriptor(),
        io.envoyproxy.envoy.extensions.compression.brotli.compressor.v3.Brotli.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.buffer.v3.Buffer.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.buffer.v3.BufferPerRoute.getDescriptor(),
        // custom responses (issue 13)
        io.envoyproxy.envoy.extensions.filters.http.custom_response.v3.CustomResponse
            .getDescriptor(),
        io.envoyproxy.envoy.extensions.http.custom_response.local_response_policy.v3
            .LocalResponsePolicy.getDescriptor(),
        io.envoyproxy.envoy.type.matcher.v3.HttpResponseStatusCodeMatchInput.getDescriptor(),
        io.envoyproxy.envoy.type.matcher.v3.HttpResponseStatusCodeClassMatchInput.getDescriptor(),

        // gRPC transcoding and gRPC-Web (issue 13)
        io.envoyproxy.envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder
            .getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.grpc_web.v3.GrpcWeb.getDescriptor(),
        io.envoyproxy.envoy.config.route.v3.FilterConfig.getDescriptor(),

        // tracing (issue 15)
        io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDescriptor(),
        // global rate limits (issue 13)
        io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimit.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute.getDescriptor(),

        // external authorization (issue 12)
        io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz.getDescriptor(),
        io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute.getDescriptor());
  }

  private static ProxyResources gateway(
      GatewayIr gateway, Map<String, ServiceIr> services, Function<ClusterIr, Cluster> built) {
    List<Listener> listeners =
        gateway.listeners().stream()
            .map(listener -> Listeners.gateway(gateway, listener))
            .sorted(Comparator.comparing(Listener::getName))
            .toList();
    List<RouteConfiguration> routes = List.of(RouteConfigurations.gateway(gateway));
    List<Cluster> clusters =
        java.util.stream.Stream.concat(
                gateway.clusters().stream().map(built),
                java.util.stream.Stream.concat(
                    Jwt.clusters(gateway).stream(), // jwt (issue 12): JWKS fetch clusters
                    java.util.stream.Stream.concat(
                        Tracing.clusters(gateway.tracing()).stream(), // tracing (issue 15)
                        ExtAuthz.clusters(gateway).stream()))) // ext-authz (issue 12)
            .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
    clusters.addAll(GlobalRateLimits.clusters(gateway)); // global rate limits (issue 13)
    clusters.addAll(Oidc.clusters(gateway)); // oidc login (issue 12): token endpoints
    clusters.addAll(AccessLogs.clusters(gateway.accessLog())); // access logs to OTLP (issue 15)
    clusters.sort(Comparator.comparing(Cluster::getName));
    List<ClusterEndpoints> endpoints =
        gateway.clusters().stream()
            .map(cluster -> endpoints(cluster, services, gateway.zone()))
            .sorted(Comparator.comparing(ClusterEndpoints::cluster))
            .toList();
    return new ProxyResources(
        ProxyGroup.gateway(gateway.name()),
        listeners,
        routes,
        clusters,
        endpoints,
        gateway.identity(),
        java.util.stream.Stream.of(
                TlsListeners.secrets(gateway),
                ApiKeys.secrets(gateway), // api keys (issue 12)
                Oidc.secrets(gateway), // oidc login (issue 12)
                BasicAuths.secrets(gateway)) // basic auth (issue 12)
            .flatMap(List::stream)
            .sorted(Comparator.comparing(GatewaySecret::name))
            .toList());
  }

  /**
   * A sidecar: its inbound listener, route table (with the authorization rules; none for a tcp
   * service, whose rules are in the listener) and app cluster, plus the outbound listener and route
   * table (HTTP callees), one local listener per tcp callee, and one EDS cluster per callee, and
   * nothing else (least privilege).
   */
  private static ProxyResources sidecar(
      SidecarIr sidecar, Map<String, ServiceIr> services, Function<ClusterIr, Cluster> built) {
    List<Listener> listeners =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(InboundListeners.listener(sidecar)),
                java.util.stream.Stream.concat(
                    OutboundListeners.listener(sidecar).stream(),
                    TcpOutboundListeners.listeners(sidecar).stream()))
            .sorted(Comparator.comparing(Listener::getName))
            .toList();
    List<RouteConfiguration> routes =
        java.util.stream.Stream.concat(
                InboundListeners.routesIfHttp(sidecar).stream(),
                OutboundListeners.routes(sidecar).stream())
            .sorted(Comparator.comparing(RouteConfiguration::getName))
            .toList();
    List<Cluster> clusters =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(AppClusters.cluster(sidecar)),
                java.util.stream.Stream.concat(
                    sidecar.clusters().stream().map(built),
                    java.util.stream.Stream.concat(
                        Tracing.clusters(sidecar.tracing()).stream(), // tracing (issue 15)
                        AccessLogs.clusters(sidecar.accessLog()).stream()))) // OTLP logs
            .sorted(Comparator.comparing(Cluster::getName))
            .toList();
    List<ClusterEndpoints> endpoints =
        sidecar.clusters().stream()
            .map(cluster -> endpoints(cluster, services, sidecar.zone()))
            .sorted(Comparator.comparing(ClusterEndpoints::cluster))
            .toList();
    return new ProxyResources(
        ProxyGroup.sidecar(sidecar.service()),
        listeners,
        routes,
        clusters,
        endpoints,
        Optional.of(sidecar.identity()));
  }

  private static ClusterEndpoints endpoints(
      ClusterIr cluster, Map<String, ServiceIr> services, Optional<String> localZone) {
    ServiceIr service = services.get(cluster.service());
    if (service == null) {
      // Lowering resolves every name; reaching this is a compiler bug, not a policy error.
      throw new IllegalStateException(
          "cluster " + cluster.name() + " refers to unknown service " + cluster.service());
    }
    return new ClusterEndpoints(
        cluster.name(), cluster.service(), service.source(), cluster.selector(), localZone);
  }
}
