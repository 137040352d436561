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
import java.util.function.Supplier;
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

  /**
   * The identified streams of each group: an ACK that completes a stream walks its group's streams,
   * not every stream (with 10,000 proxies in 1,000 groups, an edit's 10,000 ACKs each walked 10,000
   * streams). Changed only inside the map's per-key compute, so a stream never lands in a set that
   * its group's last close is taking out.
   */
  private final ConcurrentHashMap<String, Set<StreamState>> byGroup = new ConcurrentHashMap<>();

  private final Set<String> warnedNodes = ConcurrentHashMap.newKeySet();
  private final Metrics metrics;
  private final Predicate<String> knownGroup;
  private final Clock clock;
  private final Supplier<Publisher.View> view;
  private final Supplier<String> policyVersion;

  /** The group, type and type version of each NACK warned about (the rest are debug). */
  private final Set<String> warnedNacks = ConcurrentHashMap.newKeySet();

  /** When the last stream opened or request arrived ({@link System#nanoTime()}). */
  private volatile long lastRequestNanos = System.nanoTime() - Long.MAX_VALUE / 2;

  /** The versions each group was last announced in sync at (RolloutLog#inSync). */
  private final ConcurrentHashMap<String, TypeVersions> announced = new ConcurrentHashMap<>();

  ProxyTracker(Metrics metrics, Predicate<String> knownGroup, Clock clock) {
    this(metrics, knownGroup, clock, () -> new Publisher.View("", new TreeMap<>()), () -> "");
  }

  /**
   * @param view what the publisher serves each group now (for the in-sync line)
   * @param policyVersion the policy version being published (for the push lines)
   */
  ProxyTracker(
      Metrics metrics,
      Predicate<String> knownGroup,
      Clock clock,
      Supplier<Publisher.View> view,
      Supplier<String> policyVersion) {
    this.metrics = metrics;
    this.knownGroup = knownGroup;
    this.clock = clock;
    this.view = view;
    this.policyVersion = policyVersion;
    metrics.connectedProxies(this::connectedCount);
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    lastRequestNanos = System.nanoTime();
    streams.putIfAbsent(streamId, new StreamState(clock.instant()));
  }

  /** Whether a stream opened or a request arrived within {@code window} (busy serving). */
  boolean requestWithin(java.time.Duration window) {
    return System.nanoTime() - lastRequestNanos < window.toNanos();
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
    lastRequestNanos = System.nanoTime();
    StreamState stream = identify(streamId, request.getNode());
    XdsType.ofTypeUrl(request.getTypeUrl())
        .ifPresent(type -> {
          if (request.hasErrorDetail()) {
            nack(stream, type, request.getResponseNonce(), request.getErrorDetail().getMessage());
          } else if (!request.getVersionInfo().isEmpty()) {
            Instant now = clock.instant();
            stream.acked(type, request.getVersionInfo(), now);
            logAck(stream, type, request.getVersionInfo(), request.getResponseNonce());
            pushRoundTrip(stream, type, request.getResponseNonce(), now);
          }
        });
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    lastRequestNanos = System.nanoTime();
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
                .ifPresent(sent -> {
                  stream.acked(type, sent.typeVersion(), now);
                  logAck(stream, type, sent.typeVersion(), request.getResponseNonce());
                });
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
        byGroup.compute(
            group,
            (g, set) -> {
              Set<StreamState> members = set == null ? ConcurrentHashMap.newKeySet() : set;
              members.add(stream);
              return members;
            });
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
    Optional<Sent> sent = stream.sentVersion(nonce);
    String version = sent.map(Sent::typeVersion).orElse("");
    stream.nacked(type, new Nack(version, message, clock.instant()));
    metrics.nack(type);
    metrics.groupNack(metricGroup(stream), type);
    RolloutLog.Proxy proxy = who(stream);
    if (warnedNacks.size() >= MAX_WARNED_NODES) {
      warnedNacks.clear(); // bounded memory; at worst a rejection is warned about twice
    }
    RolloutLog.nacked(
        proxy,
        type,
        version,
        sent.map(Sent::policyVersion).orElse(""),
        message,
        warnedNacks.add(proxy.group() + " " + type.label() + " " + version));
  }

  private void logAck(StreamState stream, XdsType type, String typeVersion, String nonce) {
    String policy =
        stream.sentVersion(nonce).map(Sent::policyVersion).orElseGet(policyVersion::get);
    RolloutLog.acked(who(stream), type, typeVersion, policy);
    inSync(stream);
  }

  private static RolloutLog.Proxy who(StreamState stream) {
    return new RolloutLog.Proxy(stream.nodeId().orElse("?"), stream.group().orElse("?"));
  }

  private void sent(long streamId, String typeUrl, String nonce, String version, int bytes) {
    Optional<XdsType> type = XdsType.ofTypeUrl(typeUrl);
    if (type.isPresent()) {
      sent(streamId, type.get(), nonce, version, bytes);
    } else {
      StreamState stream = streams.get(streamId);
      if (stream != null) {
        stream.sent(nonce, new Sent(version, policyVersion.get()), clock.instant());
      }
    }
  }

  /**
   * A response of {@code type} went out on {@code streamId}. Our ADS streams ({@link SotwStream},
   * {@link DeltaStream}) call this once per proxy and push, knowing the type: no type URL to look
   * up.
   */
  void sent(long streamId, XdsType type, String nonce, String version, int bytes) {
    metrics.push(type);
    metrics.pushSize(type, bytes);
    StreamState stream = streams.get(streamId);
    if (stream != null) {
      String policy = policyVersion.get();
      stream.sent(nonce, new Sent(version, policy), clock.instant());
      RolloutLog.pushed(who(stream), type, version, policy, bytes);
    }
  }

  /**
   * The publisher replaced what {@code groups} are served: one may be in sync already (its ACKs
   * came before the view). Others are completed by an ACK or by their last proxy behind leaving.
   */
  void viewChanged(java.util.SortedSet<String> groups) {
    groups.stream().filter(byGroup::containsKey).forEach(this::announceIfInSync);
  }

  /** After an ACK: if it completed the stream's group, say so once per served version. */
  private void inSync(StreamState stream) {
    Optional<String> group = stream.group();
    Publisher.View now = view.get();
    TypeVersions served = group.map(g -> now.groups().get(g)).orElse(null);
    if (served != null && !served.equals(announced.get(group.get())) && stream.inSync(served)) {
      announceIfInSync(group.get());
    }
  }

  /**
   * Logs once per group and served versions when every connected proxy of the group has ACKed them.
   * Walks the group's streams, so it runs only when an ACK completed one stream (or the view
   * changed): at most once per proxy and change. Counts ADS streams, the only kind our bootstraps
   * open (a proxy with one stream per type would never look complete here).
   */
  private void announceIfInSync(String group) {
    Publisher.View now = view.get();
    TypeVersions served = now.groups().get(group);
    if (served == null || served.equals(announced.get(group))) {
      return;
    }
    Set<String> nodes = new java.util.HashSet<>();
    for (StreamState s : byGroup.getOrDefault(group, Set.of())) {
      if (!s.inSync(served)) {
        return;
      }
      s.nodeId().ifPresent(nodes::add);
    }
    if (!nodes.isEmpty() && !served.equals(announced.put(group, served))) {
      RolloutLog.inSync(
          group,
          now.policyVersion(),
          nodes.size(),
          java.time.Duration.between(now.changedAt(group), clock.instant()));
    }
  }

  /** A response sent: its xDS version and the policy version it was published for. */
  record Sent(String typeVersion, String policyVersion) {}

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
    if (stream != null) {
      stream
          .group()
          .ifPresent(group ->
              byGroup.computeIfPresent(
                  group,
                  (g, set) -> {
                    set.remove(stream);
                    return set.isEmpty() ? null : set;
                  }));
    }
    if (stream != null && stream.nodeId().isPresent()) {
      LOG.info("proxy {} disconnected (stream {})", stream.nodeId().get(), streamId);
    }
    if (stream != null) {
      // The one proxy still behind may have been this one: the group is in sync without it.
      stream.group().ifPresent(this::announceIfInSync);
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
    private final LinkedHashMap<String, Sent> sentVersions =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
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

    synchronized void sent(String nonce, Sent sent, Instant at) {
      sentVersions.put(nonce, sent);
      sentAt.put(nonce, at);
    }

    synchronized Optional<Sent> sentVersion(String nonce) {
      return Optional.ofNullable(sentVersions.get(nonce));
    }

    /** Has this stream ACKed every type its group serves, at the version served? */
    synchronized boolean inSync(TypeVersions served) {
      for (XdsType type : XdsType.values()) {
        String version = type.of(served);
        if (!version.isEmpty()) {
          TypeStatus status = types.get(type);
          if (status == null || !status.ackedVersion().filter(version::equals).isPresent()) {
            return false;
          }
        }
      }
      return true;
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
