package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.grpc.stub.ServerCallStreamObserver;
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
final class DeltaStream extends AdsStreamBase<DeltaDiscoveryRequest, DeltaResponses.Response> {
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

  private final Map<XdsType, Subscription> subscriptions = new EnumMap<>(XdsType.class);
  private long nonce;

  DeltaStream(
      long id,
      ServerCallStreamObserver<DeltaResponses.Response> responses,
      AdsGroups groups,
      ProxyTracker tracker) {
    super(id, responses, groups, tracker);
  }

  @Override
  String typeUrl(DeltaDiscoveryRequest request) {
    return request.getTypeUrl();
  }

  @Override
  Node node(DeltaDiscoveryRequest request) {
    return request.getNode();
  }

  @Override
  void track(DeltaDiscoveryRequest request) {
    tracker.onV3StreamDeltaRequest(id, request);
  }

  @Override
  void forget() {
    subscriptions.clear();
  }

  @Override
  void requested(XdsType type, DeltaDiscoveryRequest request, Optional<Snapshot> snapshot) {
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
    send(response);
  }
}
