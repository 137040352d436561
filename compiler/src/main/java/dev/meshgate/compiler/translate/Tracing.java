package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.TracingIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.Tracing.Http;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.List;
import java.util.Optional;

/**
 * tracing (issue 15): a proxy with a {@code tracing} block gets, on each of its HTTP connection
 * managers, {@code tracing} with the {@code envoy.tracers.opentelemetry} provider (OTLP/gRPC to the
 * cluster {@link TracingIr#CLUSTER}, {@code service_name} the gateway or service), {@code
 * random_sampling} from {@code sample} and one {@code custom_tags} entry per {@code tag … from
 * header …}. The OpenTelemetry tracer reads and writes W3C {@code traceparent}; a proxy that
 * receives one follows the caller's sampling decision. A route's {@code trace sample} becomes the
 * route's {@code tracing.random_sampling}. The collector cluster speaks HTTP/2 (gRPC).
 */
final class Tracing {
  static final String PROVIDER = "envoy.tracers.opentelemetry";

  private Tracing() {}

  /** The connection manager traces as the proxy's {@code tracing} block says, if it has one. */
  static HttpConnectionManager.Builder apply(
      HttpConnectionManager.Builder hcm, Optional<TracingIr> tracing) {
    tracing.ifPresent(t -> hcm.setTracing(connectionManager(t)));
    return hcm;
  }

  private static HttpConnectionManager.Tracing connectionManager(TracingIr t) {
    OpenTelemetryConfig otel =
        OpenTelemetryConfig.newBuilder()
            .setGrpcService(
                GrpcService.newBuilder()
                    .setEnvoyGrpc(
                        GrpcService.EnvoyGrpc.newBuilder().setClusterName(TracingIr.CLUSTER))
                    .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1)))
            .setServiceName(t.serviceName())
            .build();
    HttpConnectionManager.Tracing.Builder tracing =
        HttpConnectionManager.Tracing.newBuilder()
            .setRandomSampling(Percent.newBuilder().setValue(t.samplePercent()))
            .setProvider(Http.newBuilder().setName(PROVIDER).setTypedConfig(Any.pack(otel)));
    for (TracingIr.TagIr tag : t.tags()) {
      tracing.addCustomTags(
          CustomTag.newBuilder()
              .setTag(tag.tag())
              .setRequestHeader(CustomTag.Header.newBuilder().setName(tag.header())));
    }
    return tracing.build();
  }

  /** {@code trace sample N%} on the route. */
  static void route(RouteIr route, Route.Builder envoy) {
    route
        .traceSample()
        .ifPresent(percent ->
            envoy.setTracing(
                io.envoyproxy.envoy.config.route.v3.Tracing.newBuilder()
                    .setRandomSampling(
                        FractionalPercent.newBuilder()
                            .setNumerator(percent)
                            .setDenominator(FractionalPercent.DenominatorType.HUNDRED))));
  }

  /** The collector cluster, when the proxy traces. */
  static List<Cluster> clusters(Optional<TracingIr> tracing) {
    return tracing.map(Tracing::cluster).stream().toList();
  }

  private static Cluster cluster(TracingIr t) {
    return collectorCluster(TracingIr.CLUSTER, t.host(), t.port());
  }

  /**
   * An HTTP/2 cluster to an OTLP/gRPC collector at {@code host:port} (static for an IP address,
   * strict DNS for a name); access logs to OTLP use it too.
   */
  static Cluster collectorCluster(String name, String host, int port) {
    Cluster.Builder cluster = Clusters.singleAddress(name, host, port);
    Clusters.protocolOptions(Protocol.GRPC, cluster); // OTLP/gRPC needs HTTP/2
    return cluster.build();
  }
}
