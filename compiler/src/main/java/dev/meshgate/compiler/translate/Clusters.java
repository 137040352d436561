package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.ClusterIr;
import dev.meshgate.compiler.ir.Protocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.DiscoveryType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.EdsClusterConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig;

/**
 * An upstream cluster per service and per subset, its endpoints over EDS (ADS). The EDS service
 * name is the cluster name, so the ClusterLoadAssignment the server publishes for {@code
 * catalog.v2} is found under the same name everywhere.
 */
final class Clusters {
  static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  static final com.google.protobuf.Duration CONNECT_TIMEOUT =
      com.google.protobuf.Duration.newBuilder().setSeconds(5).build();

  private Clusters() {}

  static Cluster cluster(ClusterIr cluster) {
    Cluster.Builder envoy =
        Cluster.newBuilder()
            .setName(cluster.name())
            .setType(DiscoveryType.EDS)
            .setEdsClusterConfig(
                EdsClusterConfig.newBuilder()
                    .setEdsConfig(ConfigSources.ads())
                    .setServiceName(cluster.name()))
            .setConnectTimeout(CONNECT_TIMEOUT)
            .setLbPolicy(LbPolicy.ROUND_ROBIN);
    protocolOptions(cluster.protocol(), envoy);
    ClusterSettings.apply(cluster, envoy); // circuit breakers, outlier detection, … (issue 14)
    // A service in the mesh is reached over mTLS, and only its own identity may answer.
    cluster
        .peerIdentity()
        .ifPresent(
            peer -> envoy.setTransportSocket(UpstreamTls.transportSocket(peer, cluster.service())));
    return envoy.build();
  }

  static void protocolOptions(Protocol protocol, Cluster.Builder envoy) {
    switch (protocol) {
      // gRPC needs HTTP/2 end to end; `http2` asks for it explicitly (prior knowledge, h2c).
      case HTTP2, GRPC ->
          envoy.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(http2()));
      // HTTP/1.1 is Envoy's default upstream protocol; TCP services get TCP listeners later and
      // need nothing on the cluster.
      case HTTP, TCP -> {}
    }
  }

  private static HttpProtocolOptions http2() {
    return HttpProtocolOptions.newBuilder()
        .setExplicitHttpConfig(
            ExplicitHttpConfig.newBuilder()
                .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
        .build();
  }

  /**
   * A cluster of one address Envoy reaches on its own (a JWKS, a token endpoint, a collector, an
   * ext-authz or rate-limit service): STATIC for an IPv4 or IPv6 literal, STRICT_DNS (IPv4
   * preferred) for a name.
   */
  static Cluster.Builder singleAddress(String name, String host, int port) {
    boolean ip = host.matches("[0-9.]+") || host.contains(":");
    Cluster.Builder cluster =
        oneEndpoint(
            name,
            ip ? DiscoveryType.STATIC : DiscoveryType.STRICT_DNS,
            Listeners.address(host, port));
    if (!ip) {
      cluster.setDnsLookupFamily(Cluster.DnsLookupFamily.V4_PREFERRED);
    }
    return cluster;
  }

  /** A cluster whose endpoints are the one {@code address}, given inline (no EDS). */
  static Cluster.Builder oneEndpoint(String name, DiscoveryType type, Address address) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(type)
        .setConnectTimeout(CONNECT_TIMEOUT)
        .setLoadAssignment(
            ClusterLoadAssignment.newBuilder()
                .setClusterName(name)
                .addEndpoints(
                    LocalityLbEndpoints.newBuilder()
                        .addLbEndpoints(
                            LbEndpoint.newBuilder()
                                .setEndpoint(Endpoint.newBuilder().setAddress(address)))));
  }
}
