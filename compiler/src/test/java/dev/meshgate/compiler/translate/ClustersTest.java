package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import dev.meshgate.compiler.ir.ClusterIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.testing.HandBuiltIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClustersTest {

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void edsOverAdsNamedAfterTheCluster(Protocol protocol) {
    Cluster cluster =
        Clusters.cluster(
            new ClusterIr("catalog.v2", "catalog", protocol, HandBuiltIr.labels("version", "v2")));
    assertThat(cluster.getName()).isEqualTo("catalog.v2");
    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(cluster.getEdsClusterConfig().getServiceName()).isEqualTo("catalog.v2");
    assertThat(cluster.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    assertThat(cluster.getEdsClusterConfig().getEdsConfig().getResourceApiVersion())
        .isEqualTo(ApiVersion.V3);
    assertThat(cluster.getConnectTimeout()).isEqualTo(Durations.fromSeconds(5));
    assertThat(cluster.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"HTTP2", "GRPC"})
  void http2AndGrpcSpeakHttp2Upstream(Protocol protocol) throws InvalidProtocolBufferException {
    Cluster cluster =
        Clusters.cluster(new ClusterIr("pricing", "pricing", protocol, HandBuiltIr.labels()));
    HttpProtocolOptions options =
        cluster
            .getTypedExtensionProtocolOptionsOrThrow(
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
            .unpack(HttpProtocolOptions.class);
    assertThat(options.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"HTTP", "TCP"})
  void httpAndTcpNeedNoProtocolOptions(Protocol protocol) {
    assertThat(
            Clusters.cluster(new ClusterIr("c", "c", protocol, HandBuiltIr.labels()))
                .getTypedExtensionProtocolOptionsMap())
        .isEmpty();
  }
}
