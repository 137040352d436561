package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdsBodyTest {
  static Map<String, VersionedResource<?>> clusters(String... names) {
    Map<String, VersionedResource<?>> clusters = new LinkedHashMap<>();
    int timeout = 1;
    for (String name : names) {
      clusters.put(
          name,
          VersionedResource.create(
              Cluster.newBuilder()
                  .setName(name)
                  .setConnectTimeout(Duration.newBuilder().setSeconds(timeout++))
                  .build()));
    }
    return clusters;
  }

  /** What java-control-plane sent: the same fields, serialized by protobuf. */
  static DiscoveryResponse expected(String version, String nonce, List<VersionedResource<?>> rs) {
    DiscoveryResponse.Builder response =
        DiscoveryResponse.newBuilder()
            .setVersionInfo(version)
            .setTypeUrl(XdsType.CLUSTERS.typeUrl());
    rs.forEach(r -> response.addResources(PackedResources.packed(r.resource())));
    return response.setNonce(nonce).build();
  }

  @Test
  void aBodyWithItsNonceIsByteForByteTheResponseProtobufWrites() {
    var clusters = clusters("a", "b", "c");
    AdsBody body = AdsBody.of(XdsType.CLUSTERS, List.of(), clusters, "v1");

    AdsBody.Response response = body.withNonce("17");

    DiscoveryResponse expected = expected("v1", "17", List.copyOf(clusters.values()));
    assertThat(response.bytes()).isEqualTo(expected.toByteString());
    assertThat(response.size()).isEqualTo(expected.getSerializedSize());
    assertThat(body.names()).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void namedResourcesComeInTheRequestsOrderOnceEachAndMissingOnesAreLeftOut() {
    var clusters = clusters("a", "b", "c");
    AdsBody body = AdsBody.of(XdsType.CLUSTERS, List.of("c", "missing", "a", "c"), clusters, "v2");

    DiscoveryResponse expected = expected("v2", "0", List.of(clusters.get("c"), clusters.get("a")));
    assertThat(body.withNonce("0").bytes()).isEqualTo(expected.toByteString());
    assertThat(body.names()).containsExactlyInAnyOrder("a", "c");
  }

  @Test
  void anEmptyBodyIsAnEmptyResponseOfItsType() {
    AdsBody body = AdsBody.of(XdsType.CLUSTERS, List.of(), Map.of(), "");
    assertThat(body.withNonce("3").bytes()).isEqualTo(expected("", "3", List.of()).toByteString());
  }
}
