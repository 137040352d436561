package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.Endpoint;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BuiltSnapshotsTest {
  private static final PreparedGroup EDGE = PreparedGroup.of(SnapshotBuilderTest.EDGE);
  private static final TypedResources<Secret> NO_SECRETS = TypedResources.of(List.of());

  private final BuiltSnapshots built = new BuiltSnapshots();
  private List<Endpoint> catalog = List.of(Endpoint.of("127.0.0.1", 9101));
  private final Function<String, List<Endpoint>> endpointsOf = service -> catalog;

  @Test
  void theSameInputsGiveTheSameSnapshotWithoutBuildingIt() {
    GroupSnapshot first = built.build(EDGE, endpointsOf, NO_SECRETS);
    assertThat(built.build(EDGE, endpointsOf, TypedResources.of(List.of()))).isSameAs(first);
    assertThat(first.versions())
        .isEqualTo(SnapshotBuilder.build(EDGE, endpointsOf, NO_SECRETS).versions());
  }

  @Test
  void newEndpointsOfAServiceItUsesBuildAgain() {
    GroupSnapshot first = built.build(EDGE, endpointsOf, NO_SECRETS);
    catalog = List.of(Endpoint.of("127.0.0.1", 9101), Endpoint.of("127.0.0.1", 9102));
    GroupSnapshot second = built.build(EDGE, endpointsOf, NO_SECRETS);
    assertThat(second).isNotSameAs(first);
    assertThat(second.versions().endpoints()).isNotEqualTo(first.versions().endpoints());
    // an equal list, but a new one: built again (the publisher makes one per change)
    catalog = List.copyOf(new java.util.ArrayList<>(catalog));
    assertThat(built.build(EDGE, endpointsOf, NO_SECRETS)).isNotSameAs(second);
  }

  @Test
  void otherSecretsOrAnotherPreparedGroupBuildAgain() {
    GroupSnapshot first = built.build(EDGE, endpointsOf, NO_SECRETS);
    var secrets =
        TypedResources.of(List.of(Secret.newBuilder().setName("meshgate.identity").build()));
    GroupSnapshot withSecret = built.build(EDGE, endpointsOf, secrets);
    assertThat(withSecret).isNotSameAs(first);
    assertThat(withSecret.versions().secrets()).isNotEqualTo(first.versions().secrets());

    PreparedGroup equalButNew = PreparedGroup.of(SnapshotBuilderTest.EDGE);
    assertThat(built.build(equalButNew, endpointsOf, secrets)).isNotSameAs(withSecret);
  }

  @Test
  void aGroupLeftOutIsForgotten() {
    GroupSnapshot first = built.build(EDGE, endpointsOf, NO_SECRETS);
    built.retain(Set.of("sidecar/other"));
    GroupSnapshot again = built.build(EDGE, endpointsOf, NO_SECRETS);
    assertThat(again).isNotSameAs(first);
    assertThat(again.versions()).isEqualTo(first.versions());
  }
}
