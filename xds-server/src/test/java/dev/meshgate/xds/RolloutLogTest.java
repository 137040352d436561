package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The volume rules of the rollout lines, for a group of two proxies. */
class RolloutLogTest {
  private static final String GROUP = "gateway:edge";
  private static final TypeVersions SERVED = new TypeVersions("c1", "e1", "l1", "r1", "");

  private final Logger logger = (Logger) LoggerFactory.getLogger(RolloutLog.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private ProxyTracker tracker;

  @BeforeEach
  void setUp() {
    lines.start();
    logger.addAppender(lines);
    logger.setLevel(Level.DEBUG);
    Publisher.View view = new Publisher.View("p1", new TreeMap<>(Map.of(GROUP, SERVED)));
    tracker =
        new ProxyTracker(
            new Metrics(),
            GROUP::equals,
            Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC),
            () -> view,
            () -> "p1");
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(lines);
    logger.setLevel(null);
  }

  @Test
  void oneWarningPerRejectedVersionAndOneSyncLinePerGroup() {
    // Both proxies connect before either has everything.
    tracker.onV3StreamRequest(1L, request("edge-1", XdsType.CLUSTERS, "").build());
    tracker.onV3StreamRequest(2L, request("edge-2", XdsType.CLUSTERS, "").build());
    for (long stream : List.of(1L, 2L)) {
      String node = "edge-" + stream;
      for (XdsType type : XdsType.values()) {
        String version = type.of(SERVED);
        if (version.isEmpty()) {
          continue;
        }
        send(stream, node, type, version, "n-" + type.label());
        if (type == XdsType.LISTENERS) {
          // First refused: a NACK from each proxy, then the fixed version.
          send(stream, node, type, "l0", "bad");
          tracker.onV3StreamRequest(
              stream,
              request(node, type, "")
                  .setResponseNonce("bad")
                  .setErrorDetail(com.google.rpc.Status.newBuilder().setMessage("cannot bind"))
                  .build());
        }
        tracker.onV3StreamRequest(
            stream, request(node, type, version).setResponseNonce("n-" + type.label()).build());
      }
    }
    List<ILoggingEvent> nacks = events("nack");
    assertThat(nacks).hasSize(2);
    assertThat(nacks.get(0).getLevel()).isEqualTo(Level.WARN);
    assertThat(nacks.get(1).getLevel()).as("the same rejection again").isEqualTo(Level.DEBUG);
    assertThat(value(nacks.get(0), "error")).isEqualTo("cannot bind");
    assertThat(value(nacks.get(0), "version")).isEqualTo("p1");
    assertThat(value(nacks.get(0), "type_version")).isEqualTo("l0");

    List<ILoggingEvent> syncs = events("sync");
    assertThat(syncs).as("once, when the second proxy completed the group").hasSize(1);
    assertThat(syncs.getFirst().getLevel()).isEqualTo(Level.INFO);
    assertThat(value(syncs.getFirst(), "proxies")).isEqualTo("2");
    assertThat(events("push")).allMatch(e -> e.getLevel() == Level.DEBUG).hasSize(10);
    assertThat(events("ack")).allMatch(e -> e.getLevel() == Level.DEBUG).hasSize(8);
  }

  @Test
  void aProxyThatLeftDoesNotHoldItsGroupBackAndAReturningOneCounts() {
    tracker.onV3StreamRequest(1L, request("edge-1", XdsType.CLUSTERS, "").build());
    tracker.onV3StreamRequest(2L, request("edge-2", XdsType.CLUSTERS, "").build());
    tracker.onStreamClose(2L, XdsType.CLUSTERS.typeUrl()); // left before it had anything
    ackEverything(1L, "edge-1");
    List<ILoggingEvent> syncs = events("sync");
    assertThat(syncs).as("the group is its one remaining proxy").hasSize(1);
    assertThat(value(syncs.getFirst(), "proxies")).isEqualTo("1");

    // edge-2 comes back on a new stream: once it has everything, the view's next change counts
    // both (the versions were announced already, so nothing is logged for them again)
    tracker.onV3StreamRequest(3L, request("edge-2", XdsType.CLUSTERS, "").build());
    ackEverything(3L, "edge-2");
    tracker.viewChanged(new java.util.TreeSet<>(java.util.Set.of(GROUP)));
    assertThat(events("sync")).hasSize(1);
  }

  @Test
  void theGroupIsInSyncWhenItsLastProxyBehindLeaves() {
    tracker.onV3StreamRequest(1L, request("edge-1", XdsType.CLUSTERS, "").build());
    tracker.onV3StreamRequest(2L, request("edge-2", XdsType.CLUSTERS, "").build());
    ackEverything(1L, "edge-1");
    assertThat(events("sync")).as("edge-2 has acknowledged nothing").isEmpty();

    tracker.onStreamClose(2L, XdsType.CLUSTERS.typeUrl());

    List<ILoggingEvent> syncs = events("sync");
    assertThat(syncs).hasSize(1);
    assertThat(value(syncs.getFirst(), "proxies")).isEqualTo("1");
  }

  private void ackEverything(long stream, String node) {
    for (XdsType type : XdsType.values()) {
      String version = type.of(SERVED);
      if (!version.isEmpty()) {
        send(stream, node, type, version, "n-" + type.label());
        tracker.onV3StreamRequest(
            stream, request(node, type, version).setResponseNonce("n-" + type.label()).build());
      }
    }
  }

  private void send(long stream, String node, XdsType type, String version, String nonce) {
    tracker.onV3StreamRequest(stream, request(node, type, "").build());
    tracker.onV3StreamResponse(
        stream,
        request(node, type, "").build(),
        DiscoveryResponse.newBuilder()
            .setTypeUrl(type.typeUrl())
            .setVersionInfo(version)
            .setNonce(nonce)
            .build());
  }

  private static DiscoveryRequest.Builder request(String node, XdsType type, String version) {
    return DiscoveryRequest.newBuilder()
        .setNode(
            Node.newBuilder()
                .setId(node)
                .setCluster("edge")
                .setMetadata(
                    com.google.protobuf.Struct.newBuilder()
                        .putFields(
                            NodeGroups.ROLE_KEY,
                            com.google.protobuf.Value.newBuilder()
                                .setStringValue("gateway")
                                .build())))
        .setTypeUrl(type.typeUrl())
        .setVersionInfo(version);
  }

  private List<ILoggingEvent> events(String event) {
    return lines.list.stream().filter(e -> event.equals(value(e, "event"))).toList();
  }

  private static String value(ILoggingEvent e, String key) {
    return e.getKeyValuePairs() == null
        ? ""
        : e.getKeyValuePairs().stream()
            .filter(kv -> kv.key.equals(key))
            .map(kv -> String.valueOf(kv.value))
            .findFirst()
            .orElse("");
  }
}
