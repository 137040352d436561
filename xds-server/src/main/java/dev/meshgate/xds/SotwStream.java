package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Envoy's state-of-the-world ADS stream: what it asked for per type, what it was last sent, and
 * when to answer (issue 17.2). The protocol is the one java-control-plane's {@code
 * AdsDiscoveryRequestStreamObserver} and {@code SimpleCache} spoke, so Envoy sees no difference:
 *
 * <ul>
 *   <li>a request opens a watch for its type; it is answered at once when the group's version for
 *       the names asked differs from the request's {@code version_info}, when it names resources
 *       the proxy has not acknowledged yet, or when it asks for endpoints after clusters were sent
 *       (Envoy's cluster warming); else it is answered by the next publish that changes them;
 *   <li>a request naming resources the group lacks waits until they exist (Envoy would warm a
 *       cluster forever without its endpoints);
 *   <li>a request whose nonce is not the last one sent of its type is stale and ignored;
 *   <li>a NACK holds the rejected version: it is not sent again until the group's resources change
 *       (what {@link NackHold} does for the other streams).
 * </ul>
 *
 * <p>Requests arrive one at a time on gRPC's threads and publishes on the publisher's: both take
 * this stream's lock, which also keeps gRPC's call single-writer.
 */
final class SotwStream extends AdsStreamBase<DiscoveryRequest, AdsBody.Response> {
  private static final Logger LOG = LoggerFactory.getLogger(SotwStream.class);

  /** What the last response of a type carried. */
  private record Sent(String nonce, String version, Set<String> names) {}

  /** An open watch: the names asked for and the version the proxy has (or rejected). */
  private record Watch(List<String> names, String version) {}

  /** One type's exchange on this stream. */
  private static final class Subscription {
    @Nullable Sent sent;
    Set<String> acked = Set.of();
    @Nullable Watch watch;
  }

  private final Map<XdsType, Subscription> subscriptions = new EnumMap<>(XdsType.class);
  private long nonce;
  private boolean clustersSent; // java-control-plane's hasClusterChanged

  SotwStream(
      long id,
      ServerCallStreamObserver<AdsBody.Response> responses,
      AdsGroups groups,
      ProxyTracker tracker) {
    super(id, responses, groups, tracker);
  }

  @Override
  String typeUrl(DiscoveryRequest request) {
    return request.getTypeUrl();
  }

  @Override
  Node node(DiscoveryRequest request) {
    return request.getNode();
  }

  @Override
  void track(DiscoveryRequest request) {
    tracker.onV3StreamRequest(id, request);
  }

  @Override
  void forget() {
    subscriptions.clear();
  }

  @Override
  void requested(XdsType type, DiscoveryRequest request, Optional<Snapshot> snapshot) {
    Subscription sub = subscriptions.computeIfAbsent(type, t -> new Subscription());
    Sent sent = sub.sent;
    if (sent != null && !sent.nonce().equals(request.getResponseNonce())) {
      return; // stale: the proxy has not seen our latest response of this type yet
    }
    boolean nack = sent != null && request.hasErrorDetail();
    if (sent != null && !nack) {
      sub.acked = sent.names();
    }
    List<String> names = groups.canonical(group, request.getResourceNamesList());
    Set<String> known = sub.acked;
    String version = request.getVersionInfo();
    boolean clustersChanged = clustersSent;
    if (nack) {
      // Held: the rejected resources are not news, and only a change moves past its version.
      known = new HashSet<>(sub.acked);
      known.addAll(sent.names());
      version = sent.version();
      clustersChanged = false;
      LOG.debug(
          "holding {} on stream {} until it changes from rejected version {}", type, id, version);
    }
    sub.watch = new Watch(names, version);
    if (snapshot.isEmpty()) {
      return; // an unknown group: answered once the policy defines it
    }
    Snapshot s = snapshot.get();
    if (asksForNews(type, names, known, s)
        || (clustersChanged && type == XdsType.ENDPOINTS && Set.copyOf(names).equals(known))
        || !version.equals(s.version(AdsGroups.resourceType(type), names))) {
      answer(type, sub, s);
    }
  }

  /** Whether the request names a resource the group has and the proxy has not acknowledged. */
  private static boolean asksForNews(
      XdsType type, List<String> names, Set<String> known, Snapshot snapshot) {
    if (names.isEmpty()) {
      return false;
    }
    Map<String, VersionedResource<?>> resources =
        snapshot.versionedResources(AdsGroups.resourceType(type));
    for (String name : names) {
      if (!known.contains(name) && resources.containsKey(name)) {
        return true;
      }
    }
    return false;
  }

  /** A new snapshot of the stream's group: answer each open watch it changes, clusters first. */
  @Override
  public synchronized void published(Snapshot snapshot) {
    if (closed) {
      return;
    }
    for (XdsType type : XdsType.values()) { // clusters, endpoints, listeners, routes, secrets
      Subscription sub = subscriptions.get(type);
      Watch watch = sub == null ? null : sub.watch;
      if (watch != null
          && !watch
              .version()
              .equals(snapshot.version(AdsGroups.resourceType(type), watch.names()))) {
        answer(type, sub, snapshot);
      }
    }
  }

  /** Sends the watch's answer, unless a resource it names is missing (then it stays open). */
  private void answer(XdsType type, Subscription sub, Snapshot snapshot) {
    Watch watch = sub.watch;
    if (watch == null || group == null) {
      return;
    }
    Map<String, VersionedResource<?>> resources =
        snapshot.versionedResources(AdsGroups.resourceType(type));
    for (String name : watch.names()) {
      if (!resources.containsKey(name)) {
        LOG.debug(
            "not answering {} on stream {} yet: {} is not in group {}", type, id, name, group);
        return;
      }
    }
    AdsBody body = groups.body(group, type, watch.names(), snapshot);
    String responseNonce = Long.toString(nonce++);
    AdsBody.Response response = body.withNonce(responseNonce);
    tracker.sent(id, type, responseNonce, body.version(), response.size());
    sub.sent = new Sent(responseNonce, body.version(), body.names());
    sub.watch = null;
    if (type == XdsType.CLUSTERS) {
      clustersSent = true;
    } else if (type == XdsType.ENDPOINTS) {
      clustersSent = false;
    }
    send(response);
  }
}
