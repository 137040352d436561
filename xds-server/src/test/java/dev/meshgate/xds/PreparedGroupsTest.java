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
}
