package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the compiler warm-up steps aside for: proxies connecting or acknowledging. */
class ProxyActivityTest {
  static final Duration WINDOW = Duration.ofHours(1); // no timing in the test: "recently" is wide

  ProxyTracker tracker = new ProxyTracker(new Metrics(), g -> true, Clock.systemUTC());

  @Test
  void aNewServerIsNotBusy() {
    assertThat(tracker.requestWithin(WINDOW)).isFalse();
  }

  @Test
  void aStreamOpeningIsActivity() {
    tracker.onStreamOpen(1, "");
    assertThat(tracker.requestWithin(WINDOW)).isTrue();
    assertThat(tracker.requestWithin(Duration.ZERO)).as("nothing is within no time").isFalse();
  }

  @Test
  void stateOfTheWorldAndDeltaRequestsAreActivity() {
    Node node = Node.newBuilder().setId("edge-1").setCluster("edge").build();
    tracker.onV3StreamRequest(1, DiscoveryRequest.newBuilder().setNode(node).build());
    assertThat(tracker.requestWithin(WINDOW)).isTrue();

    ProxyTracker delta = new ProxyTracker(new Metrics(), g -> true, Clock.systemUTC());
    delta.onV3StreamDeltaRequest(2, DeltaDiscoveryRequest.newBuilder().setNode(node).build());
    assertThat(delta.requestWithin(WINDOW)).isTrue();
  }
}
