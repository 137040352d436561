package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.Endpoint;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GroupSnapshotTest {
  private static final Function<String, List<Endpoint>> NO_ENDPOINTS = service -> List.of();

  @Test
  void aSnapshotThatKeepsEveryNameIsItselfNotACopy() {
    GroupSnapshot before =
        SnapshotBuilder.build(PreparedGroup.of(SnapshotBuilderTest.EDGE), NO_ENDPOINTS);
    GroupSnapshot now =
        SnapshotBuilder.build(
            PreparedGroup.of(
                Fixtures.gateway(
                    "edge", 8080, 5, List.of(Fixtures.endpoint("127.0.0.1", 9101, "v1")))),
            NO_ENDPOINTS);
    assertThat(now.versions().routes()).isNotEqualTo(before.versions().routes());
    assertThat(now.retaining(before)).isSameAs(now);
  }

  @Test
  void aRouteNameThatVanishedIsStillServedButNotVersioned() {
    GroupSnapshot before =
        SnapshotBuilder.build(PreparedGroup.of(SnapshotBuilderTest.EDGE), NO_ENDPOINTS);
    GroupSnapshot renamed =
        SnapshotBuilder.build(
            PreparedGroup.of(
                Fixtures.gateway(
                    "edge2", 8080, 2, List.of(Fixtures.endpoint("127.0.0.1", 9101, "v1")))),
            NO_ENDPOINTS);
    GroupSnapshot kept = renamed.retaining(before);
    assertThat(kept).isNotSameAs(renamed);
    assertThat(kept.versions()).isEqualTo(renamed.versions());
    assertThat(kept.snapshot().routes().resources().keySet())
        .containsAll(before.snapshot().routes().resources().keySet())
        .containsAll(renamed.snapshot().routes().resources().keySet());
  }
}
