package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
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

    /** The names subscribed to: one instance per group for equal sets ({@link AdsGroups}). */
    Set<String> names = Set.of();

    /**
     * What the proxy holds as far as we know, name → version: sent counts (a NACK holds it).
     * Immutable, and shared by the group's streams in the same state.
     */
    Map<String, String> held = Map.of();

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
    if (request.getResourceNamesUnsubscribeCount() > 0
        || request.getResourceNamesSubscribeCount() > 0
        || (first && request.getInitialResourceVersionsCount() > 0)) {
      subscribe(sub, request, first);
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

  /** Applies the request's subscription changes (and, first, what the proxy already holds). */
  private void subscribe(Subscription sub, DeltaDiscoveryRequest request, boolean first) {
    Set<String> names = new HashSet<>(sub.names);
    Map<String, String> held = new HashMap<>(sub.held);
    for (String name : request.getResourceNamesUnsubscribeList()) {
      if (name.equals(WILDCARD)) {
        sub.wildcard = false;
      } else {
        names.remove(name);
        held.remove(name);
      }
    }
    for (String name : request.getResourceNamesSubscribeList()) {
      if (name.equals(WILDCARD)) {
        sub.wildcard = true;
      } else {
        names.add(name);
        held.remove(name); // wanted now, even at a version it had
      }
    }
    if (first) {
      for (Map.Entry<String, String> has : request.getInitialResourceVersionsMap().entrySet()) {
        if (sub.wildcard || names.contains(has.getKey())) {
          held.put(has.getKey(), has.getValue());
        }
      }
    }
    sub.names = groups.canonical(group, names);
    if (!held.equals(sub.held)) {
      sub.held = groups.canonicalHeld(group, held);
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
    DeltaResponses.Answer answer =
        groups.delta(group, type, sub.wildcard, sub.names, sub.held, snapshot);
    sub.compared = answer.version();
    // The first answer to a wildcard subscription of a type the group has none of: empty.
    boolean emptyType = sub.wildcard && !sub.answered && sub.held.isEmpty() && answer.noneOfType();
    if (!answer.changes() && !emptyType) {
      return;
    }
    sub.held = answer.held();
    String responseNonce = Long.toString(nonce++);
    DeltaResponses.Response response = answer.withNonce(responseNonce);
    tracker.sent(id, type, responseNonce, answer.version(), response.size());
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
