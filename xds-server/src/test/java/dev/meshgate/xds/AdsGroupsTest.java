package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which groups {@link AdsGroups} holds on to, and for how long. */
class AdsGroupsTest {
  final AdsGroups groups = new AdsGroups();
  final ProxyTracker tracker = new ProxyTracker(new Metrics(), g -> true, Clock.systemUTC());

  SotwStream stream(long id) {
    return new SotwStream(id, new Unused(), groups, tracker);
  }

  @Test
  void groupsNobodyServesAreForgottenWhenTheirLastStreamEnds() {
    // Proxies may claim any group name; the names must not pile up.
    for (int i = 0; i < 1000; i++) {
      SotwStream s = stream(i);
      assertThat(groups.join("sidecar:made-up-" + i, s)).isEmpty();
      groups.leave("sidecar:made-up-" + i, s);
    }
    assertThat(groups.size()).isZero();
  }

  @Test
  void aServedGroupStaysWithoutStreamsAndGoesOnceClearedAndLeft() {
    groups.published("gateway:edge", SnapshotBuilder.empty("gateway:edge").snapshot());
    SotwStream a = stream(1);
    SotwStream b = stream(2);
    assertThat(groups.join("gateway:edge", a)).isPresent();
    assertThat(groups.join("gateway:edge", b)).isPresent();
    groups.leave("gateway:edge", a);
    groups.leave("gateway:edge", b);
    assertThat(groups.size()).as("served: kept for the next proxy").isOne();

    SotwStream c = stream(3);
    groups.join("gateway:edge", c);
    groups.cleared("gateway:edge");
    assertThat(groups.size()).as("cleared, but a proxy still waits on it").isOne();
    assertThat(groups.snapshot("gateway:edge")).isEmpty();
    groups.leave("gateway:edge", c);
    assertThat(groups.size()).isZero();
  }

  static Snapshot clusters(String group, int connectTimeoutSeconds) {
    Cluster cluster =
        Cluster.newBuilder()
            .setName("catalog")
            .setConnectTimeout(Duration.newBuilder().setSeconds(connectTimeoutSeconds))
            .build();
    return SnapshotBuilder.build(
            new PreparedGroup(
                group,
                TypedResources.of(List.of(cluster)),
                TypedResources.of(List.of()),
                TypedResources.of(List.of()),
                List.of()),
            service -> List.of())
        .snapshot();
  }

  @Test
  void aBodyIsKeptOnlyWhileItsResourcesAreTheServedOnes() {
    // A body refers to the packed resources of its snapshot: kept past a publish that replaced
    // them, it would hold the old generation in memory.
    Snapshot first = clusters("gateway:edge", 1);
    groups.published("gateway:edge", first);
    AdsBody body = groups.body("gateway:edge", XdsType.CLUSTERS, List.of(), first);
    assertThat(groups.body("gateway:edge", XdsType.CLUSTERS, List.of(), first))
        .as("encoded once, then shared")
        .isSameAs(body);
    assertThat(groups.bodies()).isOne();

    groups.published("gateway:edge", first);
    assertThat(groups.bodies()).as("the same resources again: still served").isOne();

    Snapshot second = clusters("gateway:edge", 2);
    groups.published("gateway:edge", second);
    assertThat(groups.bodies()).as("replaced resources: their body goes").isZero();
    assertThat(groups.body("gateway:edge", XdsType.CLUSTERS, List.of(), second).version())
        .isNotEqualTo(body.version());

    assertThat(groups.body("gateway:edge", XdsType.CLUSTERS, List.of(), first))
        .as("a stream still answering from the old snapshot gets its body, not kept")
        .isNotSameAs(body);
    assertThat(groups.bodies()).isOne();
  }

  /** A response observer these tests never send to (no stream here gets a request). */
  static final class Unused extends ServerCallStreamObserver<AdsBody.Response> {
    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {}

    @Override
    public void setCompression(String compression) {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void onNext(AdsBody.Response value) {
      throw new AssertionError("nothing is sent without a request");
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
