package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ProxyResources;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreparedGroupsTest {
  private static final ProxyResources EDGE = SnapshotBuilderTest.EDGE;
  private static final ProxyResources OTHER =
      Fixtures.gateway("other", 8081, 1, List.of(Fixtures.endpoint("127.0.0.1", 9201, "v1")));
  private static final ProxyResources OTHER_MOVED =
      Fixtures.gateway("other", 8082, 1, List.of(Fixtures.endpoint("127.0.0.1", 9201, "v1")));

  @Test
  void aGroupHandedBackIsNotPreparedAgainAndTheVersionIsWhatAFreshPreparationGives() {
    PreparedGroups first = PreparedGroups.NONE.next(List.of(EDGE, OTHER));
    PreparedGroups second = first.next(List.of(EDGE, OTHER_MOVED));

    assertThat(second.groups().get(EDGE.group().key()))
        .isSameAs(first.groups().get(EDGE.group().key()));
    assertThat(second.version())
        .isEqualTo(PreparedGroups.NONE.next(List.of(EDGE, OTHER_MOVED)).version())
        .isNotEqualTo(first.version());
    assertThat(first.next(List.of(EDGE, OTHER)).version()).isEqualTo(first.version());
  }

  @Test
  void theVersionChangesWhenAGroupComesOrGoes() {
    PreparedGroups both = PreparedGroups.NONE.next(List.of(EDGE, OTHER));
    PreparedGroups one = both.next(List.of(EDGE));

    assertThat(one.version()).isNotEqualTo(both.version());
    assertThat(one.next(List.of(EDGE, OTHER)).version()).isEqualTo(both.version());
  }

  @Test
  void eachNextSaysWhichGroupsItPreparedAnewAndWhichWentAndWhetherTheWantedServicesStayed() {
    PreparedGroups both = PreparedGroups.NONE.next(List.of(EDGE, OTHER));
    assertThat(both.changes().changed())
        .containsExactlyInAnyOrder(EDGE.group().key(), OTHER.group().key());
    assertThat(both.changes().sameWants()).as("groups came").isFalse();

    PreparedGroups moved = both.next(List.of(EDGE, OTHER_MOVED)); // a port, the same endpoints
    assertThat(moved.changes().changed()).containsExactly(OTHER.group().key());
    assertThat(moved.changes().removed()).isEmpty();
    assertThat(moved.changes().sameWants()).isTrue();
    assertThat(moved.groups()).containsOnlyKeys(EDGE.group().key(), OTHER.group().key());

    PreparedGroups one = moved.next(List.of(EDGE));
    assertThat(one.changes().changed()).isEmpty();
    assertThat(one.changes().removed()).containsExactly(OTHER.group().key());
    assertThat(one.changes().sameWants()).isFalse();
    assertThat(one.groups()).containsOnlyKeys(EDGE.group().key());
    assertThat(one.fingerprints()).containsOnlyKeys(EDGE.group().key());
    assertThat(one.from()).containsOnlyKeys(EDGE.group().key());

    ProxyResources otherElsewhere =
        Fixtures.gateway("other", 8082, 1, List.of(Fixtures.endpoint("127.0.0.1", 9301, "v2")));
    PreparedGroups wants = moved.next(List.of(EDGE, otherElsewhere));
    assertThat(wants.changes().changed()).containsExactly(OTHER.group().key());
    assertThat(wants.changes().sameWants())
        .as("its endpoint selection names other static endpoints: a new subscription")
        .isFalse();
  }
}
