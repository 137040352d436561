package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Attributes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionActivityTest {
  static final Attributes.Key<String> PEER = Attributes.Key.create("peer");

  @Test
  void aConnectionBecomingReadyCountsAsActivityForTheWindow() throws Exception {
    ConnectionActivity activity = new ConnectionActivity();
    assertThat(activity.readyWithin(Duration.ofMinutes(1))).as("none yet").isFalse();

    Attributes attributes = Attributes.newBuilder().set(PEER, "10.0.0.1").build();
    assertThat(activity.transportReady(attributes)).as("passed on unchanged").isSameAs(attributes);
    assertThat(activity.readyWithin(Duration.ofMinutes(1))).isTrue();

    Thread.sleep(20);
    assertThat(activity.readyWithin(Duration.ofMillis(5))).as("the window has passed").isFalse();
  }
}
