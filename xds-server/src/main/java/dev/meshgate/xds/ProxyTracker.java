package dev.meshgate.xds;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every xDS stream through java-control-plane's callbacks: which proxy it is, which version
 * of each type it accepted (ACK) and the last one it rejected (NACK) with Envoy's reason. A NACK is
 * a request carrying {@code error_detail}; its {@code response_nonce} names the rejected response,
 * whose version we remember from when we sent it.
 */
final class ProxyTracker implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyTracker.class);

  /** Enough to find the response a late ACK or NACK refers to. */
  private static final int REMEMBERED_NONCES = 16;

  private static final int MAX_WARNED_NODES = 10_000;

  record Nack(String version, String message, Instant at) {}

  record TypeStatus(Optional<String> ackedVersion, Optional<Nack> lastNack, Instant updatedAt) {}

  record ProxyStatus(String id, String group, Instant connectedAt, Map<XdsType, TypeStatus> xds) {}

  private final ConcurrentHashMap<Long, StreamState> streams = new ConcurrentHashMap<>();
  private final Set<String> warnedNodes = ConcurrentHashMap.newKeySet();
  private final Metrics metrics;
  private final Predicate<String> knownGroup;
  private final Clock clock;

  ProxyTracker(Metrics metrics, Predicate<String> knownGroup, Clock clock) {
    this.metrics = metrics;
    this.knownGroup = knownGroup;
    this.clock = clock;
    metrics.connectedProxies(this::connectedCount);
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    streams.putIfAbsent(streamId, new StreamState(clock.instant()));
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    StreamState stream = identify(streamId, request.getNode());
    XdsType.ofTypeUrl(request.getTypeUrl())
        .ifPresent(type -> {
          if (request.hasErrorDetail()) {
            nack(stream, type, request.getResponseNonce(), request.getErrorDetail().getMessage());
          } else if (!request.getVersionInfo().isEmpty()) {
            Instant now = clock.instant();
            stream.acked(type, request.getVersionInfo(), now);
            pushRoundTrip(stream, type, request.getResponseNonce(), now);
          }
        });
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    StreamState stream = identify(streamId, request.getNode());
    XdsType.ofTypeUrl(request.getTypeUrl())
        .ifPresent(type -> {
          if (request.hasErrorDetail()) {
            nack(stream, type, request.getResponseNonce(), request.getErrorDetail().getMessage());
          } else if (!request.getResponseNonce().isEmpty()) {
            // Delta requests carry no version: the ACKed one is the one we sent with that nonce.
            Instant now = clock.instant();
            stream
                .sentVersion(request.getResponseNonce())
                .ifPresent(v -> stream.acked(type, v, now));
            pushRoundTrip(stream, type, request.getResponseNonce(), now);
          }
        });
  }

  @Override
  public void onV3StreamResponse(
      long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    sent(
        streamId,
        response.getTypeUrl(),
        response.getNonce(),
        response.getVersionInfo(),
        response.getSerializedSize());
  }

  @Override
  public void onV3StreamDeltaResponse(
      long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    sent(
        streamId,
        response.getTypeUrl(),
        response.getNonce(),
        response.getSystemVersionInfo(),
        response.getSerializedSize());
  }

  /** Distinct proxies (node ids) with at least one open, identified stream. */
  int connectedCount() {
    return (int)
        streams.values().stream()
            .map(StreamState::nodeId)
            .flatMap(Optional::stream)
            .distinct()
            .count();
  }

  /**
   * Distinct connected proxies per group. Groups the policy does not define are counted under
   * {@link Metrics#UNKNOWN_GROUP}, so a misconfigured or hostile client cannot add label values.
   */
  Map<String, Integer> connectedByGroup() {
    Map<String, Set<String>> nodes = new TreeMap<>();
    for (StreamState stream : streams.values()) {
      Optional<String> node = stream.nodeId();
      if (node.isPresent()) {
        nodes.computeIfAbsent(metricGroup(stream), g -> new java.util.HashSet<>()).add(node.get());
      }
    }
    Map<String, Integer> counts = new TreeMap<>();
    nodes.forEach((group, ids) -> counts.put(group, ids.size()));
    return counts;
  }

  private String metricGroup(StreamState stream) {
    return stream.group().filter(knownGroup).orElse(Metrics.UNKNOWN_GROUP);
  }

  /** Every connected proxy, by node id; a proxy with several streams (non-ADS) shows once. */
  List<ProxyStatus> proxies() {
    Map<String, ProxyStatus> byId = new TreeMap<>();
    for (StreamState stream : streams.values()) {
      Optional<ProxyStatus> status = stream.status();
      status.ifPresent(s -> byId.merge(s.id(), s, ProxyTracker::merge));
    }
    return new ArrayList<>(byId.values());
  }

  private static ProxyStatus merge(ProxyStatus a, ProxyStatus b) {
    Map<XdsType, TypeStatus> xds = new EnumMap<>(XdsType.class);
    xds.putAll(a.xds());
    b.xds()
        .forEach((type, status) ->
            xds.merge(type, status, (x, y) -> x.updatedAt().isAfter(y.updatedAt()) ? x : y));
    ProxyStatus first = a.connectedAt().isAfter(b.connectedAt()) ? b : a;
    return new ProxyStatus(first.id(), first.group(), first.connectedAt(), xds);
  }

  private StreamState identify(long streamId, Node node) {
    StreamState stream = streams.computeIfAbsent(streamId, id -> new StreamState(clock.instant()));
    if (stream.nodeId().isEmpty() && node != null && !node.getId().isEmpty()) {
      String group = NodeGroups.key(node);
      if (stream.identify(node.getId(), group)) {
        if (knownGroup.test(group)) {
          LOG.info("proxy {} connected (group {}, stream {})", node.getId(), group, streamId);
        } else {
          metrics.unknownGroup();
          if (warnedNodes.size() >= MAX_WARNED_NODES) {
            warnedNodes.clear(); // bounded memory; at worst a node is warned about twice
          }
          if (warnedNodes.add(node.getId())) {
            LOG.warn(
                "proxy {} asks for group {}, which the policy does not define: it gets no"
                    + " configuration until the policy has a {} (set node.cluster and node.metadata"
                    + " \"{}\")",
                node.getId(),
                group,
                group.replace(':', ' '),
                NodeGroups.ROLE_KEY);
          }
        }
      }
    }
    return stream;
  }

  private void nack(StreamState stream, XdsType type, String nonce, String message) {
    String version = stream.sentVersion(nonce).orElse("");
    stream.nacked(type, new Nack(version, message, clock.instant()));
    metrics.nack(type);
    metrics.groupNack(metricGroup(stream), type);
    LOG.warn(
        "proxy {} (group {}) rejected {} version {}: {}",
        stream.nodeId().orElse("?"),
        stream.group().orElse("?"),
        type.label(),
        version.isEmpty() ? "?" : version,
        message);
  }

  private void sent(long streamId, String typeUrl, String nonce, String version, int bytes) {
    XdsType.ofTypeUrl(typeUrl)
        .ifPresent(type -> {
          metrics.push(type);
          metrics.pushSize(type, bytes);
        });
    StreamState stream = streams.get(streamId);
    if (stream != null) {
      stream.sent(nonce, version, clock.instant());
    }
  }

  /** The time from sending a response to the proxy's ACK of it: how long Envoy took to apply it. */
  private void pushRoundTrip(StreamState stream, XdsType type, String nonce, Instant ackedAt) {
    if (!nonce.isEmpty()) {
      stream
          .sentAt(nonce)
          .ifPresent(at -> metrics.pushAcked(type, java.time.Duration.between(at, ackedAt)));
    }
  }

  private void closed(long streamId) {
    StreamState stream = streams.remove(streamId);
    if (stream != null && stream.nodeId().isPresent()) {
      LOG.info("proxy {} disconnected (stream {})", stream.nodeId().get(), streamId);
    }
  }

  /**
   * One xDS stream. Guarded by its own monitor: requests and responses come from different threads.
   */
  private static final class StreamState {
    private final Instant openedAt;
    private String nodeId;
    private String group;
    private final Map<XdsType, TypeStatus> types = new EnumMap<>(XdsType.class);
    private final LinkedHashMap<String, String> sentVersions =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED_NONCES;
          }
        };

    /** When each response not yet ACKed was sent, by nonce; an ACK takes its entry out. */
    private final LinkedHashMap<String, Instant> sentAt =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED_NONCES;
          }
        };

    StreamState(Instant openedAt) {
      this.openedAt = openedAt;
    }

    synchronized boolean identify(String nodeId, String group) {
      if (this.nodeId != null) {
        return false;
      }
      this.nodeId = nodeId;
      this.group = group;
      return true;
    }

    synchronized Optional<String> nodeId() {
      return Optional.ofNullable(nodeId);
    }

    synchronized Optional<String> group() {
      return Optional.ofNullable(group);
    }

    synchronized void sent(String nonce, String version, Instant at) {
      sentVersions.put(nonce, version);
      sentAt.put(nonce, at);
    }

    synchronized Optional<String> sentVersion(String nonce) {
      return Optional.ofNullable(sentVersions.get(nonce));
    }

    /** When the response with {@code nonce} was sent; once per nonce, so one ACK counts once. */
    synchronized Optional<Instant> sentAt(String nonce) {
      return Optional.ofNullable(sentAt.remove(nonce));
    }

    synchronized void acked(XdsType type, String version, Instant at) {
      TypeStatus old = types.get(type);
      types.put(
          type,
          new TypeStatus(
              Optional.of(version), old == null ? Optional.empty() : old.lastNack(), at));
    }

    synchronized void nacked(XdsType type, Nack nack) {
      TypeStatus old = types.get(type);
      types.put(
          type,
          new TypeStatus(
              old == null ? Optional.empty() : old.ackedVersion(), Optional.of(nack), nack.at()));
    }

    synchronized Optional<ProxyStatus> status() {
      if (nodeId == null) {
        return Optional.empty();
      }
      return Optional.of(new ProxyStatus(nodeId, group, openedAt, new EnumMap<>(types)));
    }
  }
}
