package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
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
