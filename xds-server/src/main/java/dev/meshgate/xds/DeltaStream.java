package dev.meshgate.xds;

import com.google.protobuf.ByteString;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Envoy's delta (incremental) ADS stream: per type, what it subscribes to and what it holds, at
 * which resource versions (issue 17.2). Envoy's incremental xDS protocol, as java-control-plane
 * spoke it where that was right:
 *
 * <ul>
 *   <li>a resource is sent when the proxy subscribes to it (by name, or all of a type: a first
 *       request for clusters or listeners naming nothing, or {@code *}) and lacks it at the group's
 *       version, which is its content hash ({@link TypedResources}), so versions mean the same
 *       across restarts and replicas; a name the group lacks waits until it exists;
 *   <li>a resource the proxy holds that left the group's snapshot is sent in {@code
 *       removed_resources}; an unsubscribed one is forgotten without a word;
 *   <li>a name subscribed again is sent again (Envoy re-subscribes what it wants fresh), unless the
 *       first request of the type lists it in {@code initial_resource_versions} at its version: a
 *       reconnecting Envoy gets only what changed while it was away, and removals of what went;
 *   <li>one response per type is outstanding: the next goes after the proxy answered it; a request
 *       with another nonce is stale as an answer, but its subscription changes still count;
 *   <li>a NACK holds the rejected resources: they count as held at their rejected versions, so each
 *       goes again only when it changes (what {@link NackHold} does for the other streams);
 *   <li>the first wildcard request of a type the group has none of is answered empty at once (Envoy
 *       would wait for its initial fetch timeout, issue 17.5).
 * </ul>
 *
 * <p>A publish answers clusters first, then endpoints, listeners, routes and secrets, as the cache
 * did. Requests arrive on gRPC's threads and publishes on the publisher's: both take this stream's
 * lock, which also keeps gRPC's call single-writer.
 */
final class DeltaStream implements StreamObserver<DeltaDiscoveryRequest>, AdsStream {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaStream.class);
  private static final String WILDCARD = "*";

  /** One type's exchange on this stream. */
  private static final class Subscription {
    boolean wildcard;
    final Set<String> names = new HashSet<>();

    /** What the proxy holds as far as we know: sent counts (a NACK holds it), name → version. */
    final Map<String, String> held = new HashMap<>();

    /** The nonce of the response the proxy has not answered yet. */
    @Nullable String unanswered;

    boolean answered; // a response of this type went out on this stream

    /**
     * The group's type version this stream was last compared with: a publish keeping it is no news.
     */
    String compared = "";
  }

  private final long id;
  private final ServerCallStreamObserver<DeltaResponses.Response> responses;
  private final AdsGroups groups;
  private final ProxyTracker tracker;
  private final Map<XdsType, Subscription> subscriptions = new EnumMap<>(XdsType.class);
  private @Nullable String group;
  private long nonce;
  private boolean closed;

  DeltaStream(
      long id,
      ServerCallStreamObserver<DeltaResponses.Response> responses,
      AdsGroups groups,
      ProxyTracker tracker) {
    this.id = id;
    this.responses = responses;
    this.groups = groups;
    this.tracker = tracker;
  }

  @Override
  public void onNext(DeltaDiscoveryRequest request) {
    if (request.getTypeUrl().isEmpty()) {
      onError(
          Status.UNKNOWN
              .withDescription(String.format("[%d] type URL is required for ADS", id))
              .asException());
      return;
    }
    tracker.onV3StreamDeltaRequest(id, request);
    Optional<XdsType> type = XdsType.ofTypeUrl(request.getTypeUrl());
    if (type.isEmpty()) {
      onError(
          Status.INVALID_ARGUMENT
              .withDescription("this server does not serve " + request.getTypeUrl())
              .asException());
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      Optional<Snapshot> snapshot;
      if (group == null) {
        group = NodeGroups.key(request.getNode());
        snapshot = groups.join(group, this);
      } else {
        snapshot = groups.snapshot(group);
      }
      requested(type.get(), request, snapshot);
    }
  }

  private void requested(XdsType type, DeltaDiscoveryRequest request, Optional<Snapshot> snapshot) {
    Subscription sub = subscriptions.get(type);
    boolean first = sub == null;
    if (sub == null) {
      sub = new Subscription();
      subscriptions.put(type, sub);
      // Envoy's legacy wildcard: the first request for a type that is always sent whole.
      sub.wildcard =
          request.getResourceNamesSubscribeCount() == 0
              && (type == XdsType.CLUSTERS || type == XdsType.LISTENERS);
    }
    for (String name : request.getResourceNamesUnsubscribeList()) {
      if (name.equals(WILDCARD)) {
        sub.wildcard = false;
      } else {
        sub.names.remove(name);
        sub.held.remove(name);
      }
    }
    for (String name : request.getResourceNamesSubscribeList()) {
      if (name.equals(WILDCARD)) {
        sub.wildcard = true;
      } else {
        sub.names.add(name);
        sub.held.remove(name); // wanted now, even at a version it had
      }
    }
    if (first) {
      for (Map.Entry<String, String> has : request.getInitialResourceVersionsMap().entrySet()) {
        if (sub.wildcard || sub.names.contains(has.getKey())) {
          sub.held.put(has.getKey(), has.getValue());
        }
      }
    }
    String answers = request.getResponseNonce();
    if (!answers.isEmpty() && answers.equals(sub.unanswered)) {
      sub.unanswered = null;
      if (request.hasErrorDetail()) {
        LOG.debug("holding {} on stream {}: the proxy rejected response {}", type, id, answers);
      }
    }
    if (sub.unanswered == null && snapshot.isPresent()) {
      answer(type, sub, snapshot.get());
    }
  }

  @Override
  public synchronized void published(Snapshot snapshot) {
    if (closed) {
      return;
    }
    for (XdsType type : XdsType.values()) { // clusters, endpoints, listeners, routes, secrets
      Subscription sub = subscriptions.get(type);
      if (sub != null
          && sub.unanswered == null
          && !sub.compared.equals(snapshot.version(AdsGroups.resourceType(type), List.of()))) {
        answer(type, sub, snapshot);
      }
    }
  }

  /** Sends what the proxy lacks of {@code type} and what it must forget, if anything. */
  private void answer(XdsType type, Subscription sub, Snapshot snapshot) {
    Map<String, VersionedResource<?>> resources =
        snapshot.versionedResources(AdsGroups.resourceType(type));
    String version = snapshot.version(AdsGroups.resourceType(type), List.of());
    sub.compared = version;
    List<String> sent = new ArrayList<>();
    List<ByteString> entries = new ArrayList<>();
    if (sub.wildcard) { // every resource of the type: the names subscribed are among them
      resources.forEach((name, resource) -> lacks(sub, name, resource, sent, entries));
    } else {
      for (String name : sub.names) {
        VersionedResource<?> resource = resources.get(name);
        if (resource != null) {
          lacks(sub, name, resource, sent, entries);
        }
      }
    }
    List<String> removed = new ArrayList<>();
    for (String name : sub.held.keySet()) {
      if (!resources.containsKey(name)) {
        removed.add(name);
      }
    }
    // The first answer to a wildcard subscription of a type the group has none of: empty.
    boolean emptyType = sub.wildcard && !sub.answered && sub.held.isEmpty() && resources.isEmpty();
    if (entries.isEmpty() && removed.isEmpty() && !emptyType) {
      return;
    }
    for (String name : sent) {
      sub.held.put(name, resources.get(name).version());
    }
    removed.forEach(sub.held::remove);
    String responseNonce = Long.toString(nonce++);
    DeltaResponses.Response response =
        DeltaResponses.compose(type, version, entries, removed, responseNonce);
    tracker.sent(id, type, responseNonce, version, response.size());
    sub.unanswered = responseNonce;
    sub.answered = true;
    try {
      responses.onNext(response);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.CANCELLED) {
        throw e;
      }
    }
  }

  private static void lacks(
      Subscription sub,
      String name,
      VersionedResource<?> resource,
      List<String> sent,
      List<ByteString> entries) {
    String held = sub.held.get(name);
    if (held == null || !held.equals(resource.version())) {
      sent.add(name);
      entries.add(DeltaResponses.entry(name, resource));
    }
  }

  @Override
  public void onError(Throwable t) {
    if (Status.fromThrowable(t).getCode() != Status.Code.CANCELLED) {
      LOG.error("[{}] stream closed with error", id, t);
    }
    tracker.onStreamCloseWithError(id, SotwStream.ADS_TYPE_URL, t);
    if (close()) {
      responses.onError(Status.fromThrowable(t).asException());
    }
  }

  @Override
  public void onCompleted() {
    tracker.onStreamClose(id, SotwStream.ADS_TYPE_URL);
    if (close()) {
      responses.onCompleted();
    }
  }

  /** The server ended the call (it drains, or refused the proxy): forget the stream. */
  void endedByServer() {
    if (close()) {
      tracker.onStreamClose(id, SotwStream.ADS_TYPE_URL);
    }
  }

  /** The call was cancelled (the proxy went away): gRPC ends the call itself. */
  void cancelled() {
    close();
  }

  /** Stops answering; true the first time, when the call is still ours to end. */
  private synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    subscriptions.clear();
    if (group != null) {
      groups.leave(group, this);
    }
    return true;
  }
}
