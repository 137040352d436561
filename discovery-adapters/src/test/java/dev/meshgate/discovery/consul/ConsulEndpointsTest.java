package dev.meshgate.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.model.health.ImmutableNode;
import org.kiwiproject.consul.model.health.ImmutableService;
import org.kiwiproject.consul.model.health.ImmutableServiceHealth;
import org.kiwiproject.consul.model.health.ServiceHealth;

class ConsulEndpointsTest {

  private static ServiceHealth instance(
      String node,
      String nodeAddress,
      Map<String, String> nodeMeta,
      String id,
      String address,
      int port,
      List<String> tags,
      Map<String, String> meta) {
    return ImmutableServiceHealth.builder()
        .node(ImmutableNode.builder().node(node).address(nodeAddress).nodeMeta(nodeMeta).build())
        .service(
            ImmutableService.builder()
                .id(id)
                .service("catalog")
                .address(address)
                .port(port)
                .tags(tags)
                .meta(meta)
                .build())
        .build();
  }

  @Test
  void tagsAndMetaBecomeLabelsAndNodeMetaGivesTheZone() {
    var e =
        ConsulEndpoints.of(
                instance(
                    "n1",
                    "10.0.0.1",
                    Map.of("zone", "eu-1a", "rack", "r7"),
                    "c1",
                    "10.0.1.1",
                    8080,
                    List.of("canary", "v2"),
                    Map.of("version", "v2")),
                "zone")
            .orElseThrow();
    assertThat(e.host()).isEqualTo("10.0.1.1");
    assertThat(e.port()).isEqualTo(8080);
    assertThat(e.labels())
        .containsExactly(
            Map.entry("tag:canary", "true"),
            Map.entry("tag:v2", "true"),
            Map.entry("version", "v2"));
    assertThat(e.zone()).contains("eu-1a");
    assertThat(e.healthy()).isTrue();
    assertThat(e.hostname())
        .as("the node name: what rewrite host to-endpoint sends")
        .contains("n1");
    assertThat(e.matches(Map.of("tag:canary", "true", "version", "v2"))).isTrue();
  }

  @Test
  void zoneKeyIsConfigurableAndMissingZoneIsEmpty() {
    var i =
        instance(
            "n1",
            "10.0.0.1",
            Map.of("zone", "a", "rack", "r7"),
            "c1",
            "10.0.1.1",
            80,
            List.of(),
            Map.of());
    assertThat(ConsulEndpoints.of(i, "rack").orElseThrow().zone()).contains("r7");
    assertThat(ConsulEndpoints.of(i, "az").orElseThrow().zone()).isEmpty();
  }

  @Test
  void serviceWithoutAddressUsesTheNodeAddress() {
    var i = instance("n1", "10.0.0.9", Map.of(), "c1", "", 80, List.of(), Map.of());
    assertThat(ConsulEndpoints.of(i, "zone").orElseThrow().host()).isEqualTo("10.0.0.9");
  }

  @Test
  void instancesWithoutPortAreLeftOutAndDuplicatesServedOnce() {
    List<Endpoint> endpoints =
        ConsulEndpoints.of(
            List.of(
                instance(
                    "n2",
                    "10.0.0.2",
                    Map.of("zone", "b"),
                    "c2",
                    "10.0.0.2",
                    80,
                    List.of(),
                    Map.of()),
                instance(
                    "n1",
                    "10.0.0.1",
                    Map.of("zone", "a"),
                    "c1",
                    "10.0.0.1",
                    0,
                    List.of(),
                    Map.of()),
                instance(
                    "n1",
                    "10.0.0.1",
                    Map.of("zone", "a"),
                    "c3",
                    "10.0.0.1",
                    81,
                    List.of(),
                    Map.of()),
                instance(
                    "n1",
                    "10.0.0.1",
                    Map.of("zone", "a"),
                    "c4",
                    "10.0.0.1",
                    81,
                    List.of(),
                    Map.of())),
            "zone");
    assertThat(endpoints)
        .extracting(Endpoint::toString)
        .containsExactly("10.0.0.1:81{}@a", "10.0.0.2:80{}@b");
  }
}
