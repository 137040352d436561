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
    GroupSnapshot before = gateway("edge", 2);
    GroupSnapshot now = gateway("edge", 5);
    assertThat(now.versions().routes()).isNotEqualTo(before.versions().routes());
    assertThat(now.retaining(before)).isSameAs(now);
  }

  @Test
  void aRouteNameThatVanishedIsStillServedButNotVersioned() {
    GroupSnapshot before = gateway("edge", 2);
    GroupSnapshot renamed = gateway("edge2", 2);
    GroupSnapshot kept = renamed.retaining(before);
    assertThat(kept).isNotSameAs(renamed);
    assertThat(kept.versions()).isEqualTo(renamed.versions());
    assertThat(kept.snapshot().routes().resources().keySet())
        .containsAll(before.snapshot().routes().resources().keySet())
        .containsAll(renamed.snapshot().routes().resources().keySet());
  }

  /** A gateway group's snapshot: its route table is named after it, timeouts in seconds. */
  private static GroupSnapshot gateway(String name, int timeoutSeconds) {
    return SnapshotBuilder.build(
        PreparedGroup.of(
            Fixtures.gateway(
                name, 8080, timeoutSeconds, List.of(Fixtures.endpoint("127.0.0.1", 9101, "v1")))),
        NO_ENDPOINTS);
  }
}
