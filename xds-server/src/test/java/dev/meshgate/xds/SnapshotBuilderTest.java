package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.discovery.Endpoint;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SnapshotBuilderTest {
  static final ProxyResources EDGE =
      Fixtures.gateway("edge", 8080, 2, List.of(Fixtures.endpoint("127.0.0.1", 9101, "v1")));

  static Endpoint endpoint(String host, int port, String version, String zone, boolean healthy) {
    return new Endpoint(
        host, port, new TreeMap<>(Map.of("version", version)), Optional.ofNullable(zone), healthy);
  }

  @Test
  void loadAssignmentKeepsHealthySelectedEndpointsGroupedByZone() {
    var wanted =
        new ClusterEndpoints(
            "catalog.v1",
            "catalog",
            new ServiceSource.Static(List.of()),
            new TreeMap<>(Map.of("version", "v1")));
    ClusterLoadAssignment cla =
        SnapshotBuilder.loadAssignment(
            wanted,
            List.of(
                endpoint("10.0.0.3", 80, "v1", "b", true),
                endpoint("10.0.0.1", 80, "v1", "a", true),
                endpoint("10.0.0.2", 80, "v2", "a", true),
                endpoint("10.0.0.4", 80, "v1", "a", false),
                endpoint("10.0.0.5", 80, "v1", null, true)));
    assertThat(cla.getClusterName()).isEqualTo("catalog.v1");
    assertThat(cla.getEndpointsList())
        .extracting(l -> l.getLocality().getZone())
        .containsExactly("", "a", "b");
    assertThat(cla.getEndpointsList())
        .extracting(SnapshotBuilderTest::hosts)
        .containsExactly(List.of("10.0.0.5"), List.of("10.0.0.1"), List.of("10.0.0.3"));
    assertThat(cla.getEndpoints(0).hasLocality()).isFalse();
  }

  @Test
  void theProxysOwnZoneIsPriorityZeroAndEveryOtherLocalityFailsOverAtPriorityOne() {
    var wanted =
        new ClusterEndpoints(
            "catalog",
            "catalog",
            new ServiceSource.Static(List.of()),
            new TreeMap<>(),
            Optional.of("b"));
    ClusterLoadAssignment cla =
        SnapshotBuilder.loadAssignment(
            wanted,
            List.of(
                endpoint("10.0.0.1", 80, "v1", "a", true),
                endpoint("10.0.0.2", 80, "v1", "b", true),
                endpoint("10.0.0.3", 80, "v1", "c", true),
                endpoint("10.0.0.4", 80, "v1", null, true)));
    assertThat(cla.getEndpointsList())
        .extracting(l -> l.getLocality().getZone() + "=" + l.getPriority())
        .containsExactly("=1", "a=1", "b=0", "c=1");
  }

  @Test
  void withoutHealthyEndpointsInTheProxysZoneEveryLocalityIsPriorityZero() {
    var wanted =
        new ClusterEndpoints(
            "catalog",
            "catalog",
            new ServiceSource.Static(List.of()),
            new TreeMap<>(),
            Optional.of("b"));
    ClusterLoadAssignment cla =
        SnapshotBuilder.loadAssignment(
            wanted,
            List.of(
                endpoint("10.0.0.1", 80, "v1", "a", true),
                endpoint("10.0.0.2", 80, "v1", "b", false),
                endpoint("10.0.0.3", 80, "v1", "c", true)));
    // Envoy wants priorities without gaps: with nothing healthy at 0 the others stay at 0.
    assertThat(cla.getEndpointsList())
        .extracting(l -> l.getLocality().getZone() + "=" + l.getPriority())
        .containsExactly("a=0", "c=0");
  }

  @Test
  void noMatchingEndpointIsAnEmptyAssignment() {
    var wanted =
        new ClusterEndpoints(
            "catalog.v9",
            "catalog",
            new ServiceSource.Static(List.of()),
            new TreeMap<>(Map.of("version", "v9")));
    ClusterLoadAssignment cla =
        SnapshotBuilder.loadAssignment(wanted, List.of(endpoint("10.0.0.1", 80, "v1", null, true)));
    assertThat(cla.getClusterName()).isEqualTo("catalog.v9");
    assertThat(cla.getEndpointsCount()).isZero();
  }

  @Test
  void versionsAreContentHashesAndOnlyEndpointsMoveWhenEndpointsChange() {
    PreparedGroup group = PreparedGroup.of(EDGE);
    var a = SnapshotBuilder.build(group, s -> List.of(endpoint("10.0.0.1", 80, "v1", null, true)));
    var again =
        SnapshotBuilder.build(
            PreparedGroup.of(EDGE), s -> List.of(endpoint("10.0.0.1", 80, "v1", null, true)));
    var b = SnapshotBuilder.build(group, s -> List.of(endpoint("10.0.0.2", 80, "v1", null, true)));

    assertThat(again.versions()).isEqualTo(a.versions());
    assertThat(b.versions().clusters()).isEqualTo(a.versions().clusters());
    assertThat(b.versions().listeners()).isEqualTo(a.versions().listeners());
    assertThat(b.versions().routes()).isEqualTo(a.versions().routes());
    assertThat(b.versions().endpoints()).isNotEqualTo(a.versions().endpoints());
    assertThat(a.versions().clusters()).matches("[0-9a-f]{16}");
    assertThat(a.snapshot().version(ResourceType.CLUSTER)).isEqualTo(a.versions().clusters());
    assertThat(a.snapshot().resources(ResourceType.ENDPOINT).keySet())
        .containsExactlyInAnyOrder("catalog", "catalog.v1");
  }

  @Test
  void anEndpointListIsMadeIntoEachWantedAssignmentOnceAndANewListIsReadAgain() {
    // A list mutated after use shows which builds read it: the publisher never mutates one, it
    // hands over a new list when a service's endpoints change.
    List<Endpoint> endpoints = new ArrayList<>(List.of(endpoint("10.0.0.1", 80, "v1", null, true)));
    var first = SnapshotBuilder.build(PreparedGroup.of(EDGE), s -> endpoints);
    endpoints.add(endpoint("10.0.0.2", 80, "v1", null, true));
    var second = SnapshotBuilder.build(PreparedGroup.of(EDGE), s -> endpoints);
    var fresh = SnapshotBuilder.build(PreparedGroup.of(EDGE), s -> List.copyOf(endpoints));

    assertThat(second.snapshot().resources(ResourceType.ENDPOINT).get("catalog"))
        .isSameAs(first.snapshot().resources(ResourceType.ENDPOINT).get("catalog"));
    assertThat(second.versions().endpoints()).isEqualTo(first.versions().endpoints());
    assertThat(
            ((ClusterLoadAssignment)
                    fresh.snapshot().resources(ResourceType.ENDPOINT).get("catalog"))
                .getEndpoints(0)
                .getLbEndpointsCount())
        .isEqualTo(2);
    assertThat(fresh.versions().endpoints()).isNotEqualTo(first.versions().endpoints());
  }

  @Test
  void atMostSoManyWantsOfOneEndpointListAreKept() {
    List<Endpoint> endpoints = new ArrayList<>(List.of(endpoint("10.0.0.1", 80, "v1", null, true)));
    var source = new ServiceSource.Static(List.of());
    Function<Integer, String> build =
        i ->
            SnapshotBuilder.build(
                    new PreparedGroup(
                        "g",
                        TypedResources.of(List.of()),
                        TypedResources.of(List.of()),
                        TypedResources.of(List.of()),
                        List.of(new ClusterEndpoints("c" + i, "catalog", source, new TreeMap<>()))),
                    s -> endpoints)
                .versions()
                .endpoints();
    String first = build.apply(0);
    for (int i = 1; i < SnapshotBuilder.MADE_PER_LIST; i++) {
      assertThat(build.apply(i)).isNotEqualTo(first); // another cluster name
    }
    endpoints.add(endpoint("10.0.0.2", 80, "v1", null, true));
    assertThat(build.apply(0)).as("all kept: made from the list as it was").isEqualTo(first);
    // one more: the list's wants start over
    assertThat(build.apply(SnapshotBuilder.MADE_PER_LIST)).isNotEqualTo(first);
    assertThat(build.apply(0)).isNotEqualTo(first);
  }

  @Test
  void versionOfRequestedSubsetMovesOnlyWithThatSubset() {
    PreparedGroup group = PreparedGroup.of(EDGE);
    var v1only =
        SnapshotBuilder.build(group, s -> List.of(endpoint("10.0.0.1", 80, "v1", null, true)));
    var plusV2 =
        SnapshotBuilder.build(
            group,
            s ->
                List.of(
                    endpoint("10.0.0.1", 80, "v1", null, true),
                    endpoint("10.0.0.2", 80, "v2", null, true)));
    // catalog.v1 selects version=v1 only: its endpoints did not change, so neither does its
    // version.
    assertThat(plusV2.snapshot().version(ResourceType.ENDPOINT, List.of("catalog.v1")))
        .isEqualTo(v1only.snapshot().version(ResourceType.ENDPOINT, List.of("catalog.v1")));
    assertThat(plusV2.snapshot().version(ResourceType.ENDPOINT, List.of("catalog")))
        .isNotEqualTo(v1only.snapshot().version(ResourceType.ENDPOINT, List.of("catalog")));
    assertThat(plusV2.snapshot().version(ResourceType.ENDPOINT, List.of("catalog", "catalog.v1")))
        .isEqualTo(plusV2.versions().endpoints());
  }

  @Test
  void edsClusterWithoutEndpointSelectionGetsAnEmptyAssignment() {
    var resources =
        new ProxyResources(
            ProxyGroup.gateway("edge"),
            List.of(),
            List.of(),
            List.of(Fixtures.edsCluster("orphan")),
            List.of());
    var snapshot = SnapshotBuilder.build(PreparedGroup.of(resources), s -> List.of());
    assertThat(snapshot.snapshot().resources(ResourceType.ENDPOINT).keySet())
        .containsExactly("orphan");
  }

  @Test
  void duplicateResourceNamesAreRefused() {
    var resources =
        new ProxyResources(
            ProxyGroup.gateway("edge"),
            List.of(),
            List.of(),
            List.of(Fixtures.edsCluster("twice"), Fixtures.edsCluster("twice")),
            List.of());
    assertThatThrownBy(() -> PreparedGroup.of(resources)).hasMessageContaining("\"twice\"");
  }

  @Test
  void emptySnapshotHasNoResources() {
    var empty = SnapshotBuilder.empty("gateway:gone");
    assertThat(empty.key()).isEqualTo("gateway:gone");
    for (ResourceType type :
        List.of(
            ResourceType.CLUSTER,
            ResourceType.ENDPOINT,
            ResourceType.LISTENER,
            ResourceType.ROUTE)) {
      assertThat(empty.snapshot().resources(type)).isEmpty();
    }
  }

  private static List<String> hosts(LocalityLbEndpoints locality) {
    return locality.getLbEndpointsList().stream()
        .map(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
        .toList();
  }
}
