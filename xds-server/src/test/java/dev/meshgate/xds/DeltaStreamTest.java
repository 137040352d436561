package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The incremental xDS protocol as {@link DeltaStream} speaks it, on a stream of its own (no gRPC):
 * what goes out for which request and publish. Real Envoys: {@code DeltaEmptyTypesIT} and the other
 * delta integration tests.
 */
class DeltaStreamTest {
  static final String GROUP = "gateway:edge";
  static final String CDS = MeshgateServerTest.CDS;
  static final String LDS = MeshgateServerTest.LDS;

  final AdsGroups groups = new AdsGroups();
  final ProxyTracker tracker = new ProxyTracker(new Metrics(), g -> true, Clock.systemUTC());
  final Sent sent = new Sent();
  final DeltaStream stream = new DeltaStream(1, sent, groups, tracker);

  /** A snapshot of {@link #GROUP} with a cluster per name, its connect timeout the value. */
  static Snapshot clusters(Map<String, Integer> timeouts) {
    List<Cluster> clusters = new ArrayList<>();
    timeouts.forEach((name, seconds) ->
        clusters.add(
            Cluster.newBuilder()
                .setName(name)
                .setConnectTimeout(Duration.newBuilder().setSeconds(seconds))
                .build()));
    return SnapshotBuilder.build(
            new PreparedGroup(
                GROUP,
                TypedResources.of(clusters),
                TypedResources.of(List.of()),
                TypedResources.of(List.of()),
                List.of()),
            service -> List.of())
        .snapshot();
  }

  static DeltaDiscoveryRequest.Builder request(String typeUrl) {
    Node node =
        Node.newBuilder()
            .setId("edge-1")
            .setCluster("edge")
            .setMetadata(
                com.google.protobuf.Struct.newBuilder()
                    .putFields(
                        "meshgate.role",
                        com.google.protobuf.Value.newBuilder().setStringValue("gateway").build()))
            .build();
    return DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl);
  }

  static DeltaDiscoveryRequest ack(DeltaDiscoveryResponse response) {
    return DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(response.getTypeUrl())
        .setResponseNonce(response.getNonce())
        .build();
  }

  static Map<String, String> versions(DeltaDiscoveryResponse response) {
    return response.getResourcesList().stream()
        .collect(
            Collectors.toMap(
                Resource::getName, Resource::getVersion, (a, b) -> a, LinkedHashMap::new));
  }

  @Test
  void aWildcardSubscriptionGetsEveryResourceThenOnlyWhatChanges() {
    groups.published(GROUP, clusters(Map.of("a", 1, "b", 1)));
    stream.onNext(request(CDS).build());
    DeltaDiscoveryResponse first = sent.next();
    assertThat(versions(first)).containsOnlyKeys("a", "b");
    assertThat(first.getSystemVersionInfo()).isNotEmpty();
    assertThat(first.getRemovedResourcesList()).isEmpty();
    stream.onNext(ack(first));
    assertThat(sent.none()).as("acknowledged, nothing new").isTrue();

    groups.published(GROUP, clusters(Map.of("a", 1, "b", 2, "c", 1)));
    DeltaDiscoveryResponse changed = sent.next();
    assertThat(versions(changed)).containsOnlyKeys("b", "c");
    assertThat(changed.getSystemVersionInfo()).isNotEqualTo(first.getSystemVersionInfo());
    stream.onNext(ack(changed));

    groups.published(GROUP, clusters(Map.of("a", 1, "c", 1)));
    DeltaDiscoveryResponse removed = sent.next();
    assertThat(removed.getResourcesList()).isEmpty();
    assertThat(removed.getRemovedResourcesList()).containsExactly("b");
    stream.onNext(ack(removed));
    groups.published(GROUP, clusters(Map.of("a", 1, "c", 1)));
    assertThat(sent.none()).as("the same resources again").isTrue();
  }

  @Test
  void theResourceVersionIsItsContentHash() {
    Snapshot snapshot = clusters(Map.of("a", 1));
    groups.published(GROUP, snapshot);
    stream.onNext(request(CDS).build());
    DeltaDiscoveryResponse first = sent.next();
    assertThat(first.getResources(0).getVersion())
        .hasSize(16)
        .isEqualTo(snapshotVersion(snapshot, "a"));
    assertThat(first.getSystemVersionInfo())
        .isEqualTo(snapshot.version(AdsGroups.resourceType(XdsType.CLUSTERS), List.of()));
  }

  static String snapshotVersion(Snapshot snapshot, String name) {
    return snapshot
        .versionedResources(AdsGroups.resourceType(XdsType.CLUSTERS))
        .get(name)
        .version();
  }

  @Test
  void oneResponsePerTypeIsOutstandingAndAStaleNonceAnswersNothing() {
    groups.published(GROUP, clusters(Map.of("a", 1, "b", 1)));
    stream.onNext(request(CDS).addResourceNamesSubscribe("a").build());
    DeltaDiscoveryResponse first = sent.next();
    assertThat(versions(first)).containsOnlyKeys("a");

    // Not an answer to our response: its subscription counts, but waits for the ACK.
    stream.onNext(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(CDS)
            .setResponseNonce("41")
            .addResourceNamesSubscribe("b")
            .build());
    groups.published(GROUP, clusters(Map.of("a", 2, "b", 1)));
    assertThat(sent.none()).as("unanswered response outstanding").isTrue();

    stream.onNext(ack(first));
    DeltaDiscoveryResponse next = sent.next();
    assertThat(versions(next)).containsOnlyKeys("a", "b");
  }

  @Test
  void aNamedSubscriptionWaitsForItsResourceAndASubscribeAgainResendsIt() {
    groups.published(GROUP, clusters(Map.of("a", 1)));
    stream.onNext(request(CDS).addResourceNamesSubscribe("missing").build());
    assertThat(sent.none()).as("the group has no such resource yet").isTrue();

    groups.published(GROUP, clusters(Map.of("a", 1, "missing", 1)));
    DeltaDiscoveryResponse found = sent.next();
    assertThat(versions(found)).containsOnlyKeys("missing");
    stream.onNext(ack(found));

    // Envoy subscribes again to what it wants fresh (a warming cluster's endpoints).
    stream.onNext(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(CDS)
            .addResourceNamesSubscribe("missing")
            .build());
    assertThat(versions(sent.next())).containsOnlyKeys("missing");
  }

  @Test
  void anUnsubscribedResourceIsForgottenWithoutARemoval() {
    groups.published(GROUP, clusters(Map.of("a", 1, "b", 1)));
    stream.onNext(
        request(CDS).addResourceNamesSubscribe("a").addResourceNamesSubscribe("b").build());
    stream.onNext(ack(sent.next()));
    stream.onNext(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(CDS)
            .addResourceNamesUnsubscribe("b")
            .build());
    groups.published(GROUP, clusters(Map.of("a", 1)));
    assertThat(sent.none()).as("b is gone, but the proxy no longer holds it").isTrue();
    groups.published(GROUP, clusters(Map.of("a", 1, "b", 2)));
    assertThat(sent.none()).as("nor wants it").isTrue();
  }

  @Test
  void aReconnectingProxyGetsOnlyWhatChangedAndWhatWent() {
    Snapshot snapshot = clusters(Map.of("a", 1, "b", 1));
    groups.published(GROUP, snapshot);
    stream.onNext(
        request(CDS)
            .putInitialResourceVersions("a", snapshotVersion(snapshot, "a"))
            .putInitialResourceVersions("b", "an older one")
            .putInitialResourceVersions("gone", "any")
            .build());
    DeltaDiscoveryResponse first = sent.next();
    assertThat(versions(first)).containsOnlyKeys("b");
    assertThat(first.getRemovedResourcesList()).containsExactly("gone");
  }

  @Test
  void aReconnectingProxyHoldingEverythingIsSentNothing() {
    Snapshot snapshot = clusters(Map.of("a", 1));
    groups.published(GROUP, snapshot);
    stream.onNext(
        request(CDS).putInitialResourceVersions("a", snapshotVersion(snapshot, "a")).build());
    assertThat(sent.none()).isTrue();
  }

  @Test
  void aNackHoldsTheRejectedResourcesUntilTheyChange() {
    groups.published(GROUP, clusters(Map.of("a", 1, "b", 1)));
    stream.onNext(request(CDS).build());
    DeltaDiscoveryResponse rejected = sent.next();
    stream.onNext(
        ack(rejected).toBuilder()
            .setErrorDetail(com.google.rpc.Status.newBuilder().setMessage("a: bad").build())
            .build());
    assertThat(sent.none()).as("the rejected version is not sent again").isTrue();
    groups.published(GROUP, clusters(Map.of("a", 1, "b", 1)));
    assertThat(sent.none()).isTrue();

    groups.published(GROUP, clusters(Map.of("a", 2, "b", 1)));
    assertThat(versions(sent.next())).as("changed: sent again").containsOnlyKeys("a");
  }

  @Test
  void theFirstWildcardRequestOfATypeTheGroupHasNoneOfIsAnsweredEmpty() {
    groups.published(GROUP, clusters(Map.of("a", 1)));
    stream.onNext(request(LDS).build());
    DeltaDiscoveryResponse empty = sent.next();
    assertThat(empty.getTypeUrl()).isEqualTo(LDS);
    assertThat(empty.getResourcesList()).isEmpty();
    assertThat(empty.getRemovedResourcesList()).isEmpty();
    stream.onNext(ack(empty));
    groups.published(GROUP, clusters(Map.of("a", 2)));
    assertThat(sent.none()).as("still no listeners: nothing more").isTrue();
  }

  @Test
  void anUnknownGroupIsAnsweredOnceThePolicyDefinesIt() {
    stream.onNext(request(CDS).build());
    stream.onNext(request(LDS).build());
    assertThat(sent.none()).isTrue();
    groups.published(GROUP, clusters(Map.of("a", 1)));
    assertThat(sent.next().getTypeUrl()).as("clusters first").isEqualTo(CDS);
    assertThat(sent.next().getResourcesList()).as("no listeners: empty").isEmpty();
  }

  @Test
  void aStreamEndedByTheServerLeavesItsGroup() {
    stream.onNext(request(CDS).build());
    assertThat(groups.size()).isOne();
    stream.endedByServer();
    assertThat(groups.size()).as("no snapshot and no stream: forgotten").isZero();
    groups.published(GROUP, clusters(Map.of("a", 1)));
    assertThat(sent.none()).isTrue();
  }

  @Test
  void theGroupsStreamsInOneStateShareOneAnswerPerPublish() {
    Snapshot snapshot = clusters(Map.of("a", 1, "b", 1));
    groups.published(GROUP, snapshot);
    Sent otherSent = new Sent();
    DeltaStream other = new DeltaStream(2, otherSent, groups, tracker);
    // One fresh, one reconnecting with what the first was sent: the same state.
    stream.onNext(request(CDS).build());
    stream.onNext(ack(sent.next()));
    other.onNext(
        request(CDS)
            .putInitialResourceVersions("a", snapshotVersion(snapshot, "a"))
            .putInitialResourceVersions("b", snapshotVersion(snapshot, "b"))
            .build());
    assertThat(otherSent.none()).isTrue();

    groups.published(GROUP, clusters(Map.of("a", 2, "b", 1)));
    DeltaDiscoveryResponse one = sent.next();
    DeltaDiscoveryResponse two = otherSent.next();
    assertThat(versions(one)).containsOnlyKeys("a").isEqualTo(versions(two));
    assertThat(groups.deltaAnswers())
        .as("one state: the reconnected proxy holds what the other was sent")
        .isOne();
    stream.onNext(ack(one));
    other.onNext(ack(two));

    groups.published(GROUP, clusters(Map.of("a", 3, "b", 1)));
    assertThat(versions(sent.next())).isEqualTo(versions(otherSent.next()));
    assertThat(groups.deltaAnswers()).as("one state now: one answer for both").isOne();
  }

  @Test
  void proxiesReconnectingWithTheSameResourcesAreOneState() {
    Snapshot snapshot = clusters(Map.of("a", 1));
    groups.published(GROUP, snapshot);
    for (int id = 10; id < 20; id++) {
      new DeltaStream(id, new Sent(), groups, tracker)
          .onNext(
              request(CDS).putInitialResourceVersions("a", snapshotVersion(snapshot, "a")).build());
    }
    assertThat(groups.deltaAnswers()).as("ten reconnects, one state, one answer").isOne();
  }

  @Test
  void theBytesAreTheResponseProtobufWrites() throws InvalidProtocolBufferException {
    groups.published(GROUP, clusters(Map.of("a", 1, "b", 1)));
    stream.onNext(request(CDS).putInitialResourceVersions("gone", "1").build());
    byte[] bytes = sent.bytes.getLast();
    DeltaDiscoveryResponse parsed = DeltaDiscoveryResponse.parseFrom(bytes);
    assertThat(parsed.getRemovedResourcesList()).containsExactly("gone");
    assertThat(parsed.toByteArray()).as("field by field, in protobuf's order").isEqualTo(bytes);
  }

  /** What the stream sent, parsed back. */
  static final class Sent extends ServerCallStreamObserver<DeltaResponses.Response> {
    final List<byte[]> bytes = new ArrayList<>();
    int read;

    DeltaDiscoveryResponse next() {
      assertThat(bytes).as("a response").hasSizeGreaterThan(read);
      try {
        return DeltaDiscoveryResponse.parseFrom(bytes.get(read++));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }

    boolean none() {
      return bytes.size() == read;
    }

    @Override
    public void onNext(DeltaResponses.Response value) {
      bytes.add(value.bytes().toByteArray());
      assertThat(value.size()).isEqualTo(value.bytes().size());
    }

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
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
