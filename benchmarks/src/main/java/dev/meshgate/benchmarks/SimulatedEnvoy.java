package dev.meshgate.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshgate.compiler.ProxyGroup;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * One Envoy as the server sees it: an ADS stream, state of the world or delta, that asks for CDS
 * and LDS (wildcard), then EDS for the clusters CDS named and RDS for the route tables the
 * listeners' HTTP connection managers name, and ACKs every response, as Envoy does. It keeps the
 * last version, resource names, arrival time and response count per type, not the resources.
 *
 * <p>For the endpoint churn it can also be told to expect an endpoint port in a service's load
 * assignment ({@link #expect}); the EDS response that first carries it is that change's ACK.
 *
 * <p>Given a scheduler ({@link #retryOn}) it reopens a failed stream as Envoy does ({@link
 * StreamRetry}); without one a failed stream stays failed ({@link #failure}).
 */
final class SimulatedEnvoy {
  static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  static final List<String> TYPES = List.of(CDS, EDS, LDS, RDS);

  /** What the stream last got for one type. */
  record Seen(String version, int resources, long atNanos, int responses) {}

  /** Where the churn's ACK latencies go. */
  interface ChurnSink {
    void acked(long nanos);

    void superseded();
  }

  /** A churned endpoint this proxy should get: its port, when it changed, who counts it. */
  private record Expected(int port, long changedAtNanos, ChurnSink sink) {}

  private static final class TypeState {
    /** Held resource → the names it makes this proxy follow (CDS → EDS, LDS → RDS). */
    final Map<String, List<String>> held = new HashMap<>();

    /** Delta only: held resource → its version, for {@code initial_resource_versions}. */
    final Map<String, String> versions = new HashMap<>();

    List<String> names = List.of();
    boolean subscribed;
    String version = "";
    String nonce = "";
    int resources;
    long atNanos;
    int responses;
  }

  final String id;
  final ProxyGroup group;
  final boolean delta;
  private final Node node;
  private final Map<String, TypeState> types = new HashMap<>();
  private final Map<String, Expected> expected = new HashMap<>();
  private @Nullable Wire<?, ?> wire;
  private long openedAtNanos;
  private long servedAtNanos;
  private @Nullable Throwable failure;
  private boolean keep;
  private final Map<String, DiscoveryResponse> kept = new HashMap<>();
  private StreamRetry retry = StreamRetry.never();
  private @Nullable ManagedChannel channel;

  SimulatedEnvoy(String id, ProxyGroup group, boolean delta) {
    this.id = id;
    this.group = group;
    this.delta = delta;
    this.node =
        Node.newBuilder()
            .setId(id)
            .setCluster(group.name())
            .setMetadata(
                Struct.newBuilder()
                    .putFields(
                        "meshgate.role",
                        Value.newBuilder().setStringValue(group.role().label()).build()))
            .build();
  }

  /**
   * Opens a new ADS stream on {@code channel}, with no state (as a restarted Envoy), and asks for
   * clusters and listeners. A stream opened before is left to its channel: its callbacks are
   * ignored from now on.
   */
  synchronized void start(ManagedChannel channel) {
    types.clear();
    for (String type : TYPES) {
      types.put(type, new TypeState());
    }
    expected.clear();
    servedAtNanos = 0;
    failure = null;
    retry.restarted();
    openedAtNanos = System.nanoTime();
    this.channel = channel;
    open(channel);
    subscribe(CDS, List.of());
    subscribe(LDS, List.of());
  }

  /**
   * Reopens a failed stream on {@code scheduler} (call before {@link #start}); the backoff is
   * seeded by the name, so a run's schedule does not depend on which proxy failed first.
   */
  synchronized void retryOn(ScheduledExecutorService scheduler) {
    retry = StreamRetry.on(scheduler, id.hashCode());
  }

  private Wire<?, ?> open(ManagedChannel on) {
    Wire<?, ?> next = delta ? new DeltaWire() : new SotwWire();
    wire = next;
    next.open(on);
    return next;
  }

  /**
   * Reopens the stream {@code failed} ended, asking again with the versions last ACKed, as Envoy
   * does (nothing unchanged is sent again); not if restarted (the storm), dropped or stopped since.
   */
  private synchronized void reopen(Wire<?, ?> failed) {
    if (failed != wire || retry.stopped() || channel == null) {
      return;
    }
    retry.reopening();
    Wire<?, ?> next = open(channel);
    for (String type : TYPES) {
      TypeState state = types.get(type);
      if (state.subscribed) {
        state.nonce = ""; // a nonce answers a response of its own stream
        next.resume(type, state);
      }
    }
  }

  /** Forgets the current stream, so that its end (its channel shut down) is not a failure. */
  synchronized void drop() {
    wire = null;
  }

  /** Ends the stream, as an Envoy that shuts down does. */
  synchronized void stop() {
    retry.stop();
    if (wire != null && failure == null && retry.down().isEmpty()) {
      try {
        wire.close();
      } catch (RuntimeException ignored) {
        // the channel may already be gone
      }
    }
  }

  /**
   * Keeps the last state-of-the-world response of each type (call before {@link #start}): for
   * exporting what a server served (PeerComparison), not for load, whose proxies keep only
   * versions.
   */
  synchronized void keepResponses() {
    keep = true;
  }

  /** The last response of {@code type}, if {@link #keepResponses} was called and one came. */
  synchronized Optional<DiscoveryResponse> lastResponse(String type) {
    return Optional.ofNullable(kept.get(type));
  }

  private synchronized void keep(DiscoveryResponse response) {
    if (keep) {
      kept.put(response.getTypeUrl(), response);
    }
  }

  synchronized Seen seen(String type) {
    TypeState s = types.get(type);
    return new Seen(s.version, s.resources, s.atNanos, s.responses);
  }

  /** The names this proxy subscribed to for {@code type} (EDS: the services it has clusters of). */
  synchronized List<String> subscribed(String type) {
    return types.get(type).names;
  }

  /** When every type had its first response on the current stream (0 until then). */
  synchronized long servedAtNanos() {
    return servedAtNanos;
  }

  synchronized long openedAtNanos() {
    return openedAtNanos;
  }

  /** What ended the stream, if it failed and is not opened again (no {@link #retryOn}). */
  synchronized @Nullable Throwable failure() {
    return failure;
  }

  /** What ended the last stream while it waits to be opened again. */
  synchronized Optional<Throwable> down() {
    return retry.down();
  }

  /** Streams opened again after an error, since this proxy was made (a restart is not one). */
  synchronized int reopened() {
    return retry.reopened();
  }

  /**
   * Expects endpoint {@code port} in {@code service}'s next load assignments; an earlier
   * expectation for the service that was not met yet is superseded (the endpoint it waited for is
   * gone).
   */
  synchronized void expect(String service, int port, long changedAtNanos, ChurnSink sink) {
    Expected before = expected.put(service, new Expected(port, changedAtNanos, sink));
    if (before != null) {
      before.sink().superseded();
    }
  }

  /** Expectations not met yet. */
  synchronized int pending() {
    return expected.size();
  }

  private synchronized void received(
      Wire<?, ?> from,
      String type,
      String version,
      String nonce,
      List<Any> resources,
      Map<String, List<String>> update,
      Map<String, String> versions,
      List<String> removed,
      boolean wholeState) {
    long now = System.nanoTime();
    TypeState state = types.get(type);
    if (from != wire || state == null) {
      return; // an old stream, or not asked for
    }
    retry.answered();
    state.version = version;
    state.nonce = nonce;
    state.atNanos = now;
    state.responses++;
    if (wholeState) {
      state.held.clear();
    }
    removed.forEach(state.held::remove);
    state.held.putAll(update);
    removed.forEach(state.versions::remove);
    state.versions.putAll(versions);
    state.resources = state.held.size();
    from.ack(type, state);
    if (type.equals(CDS)) {
      follow(EDS, state);
    } else if (type.equals(LDS)) {
      follow(RDS, state);
    } else if (type.equals(EDS) && !expected.isEmpty()) {
      checkExpected(resources, now);
    }
    if (servedAtNanos == 0 && types.values().stream().allMatch(t -> t.responses > 0)) {
      servedAtNanos = now;
    }
  }

  private synchronized void failed(Wire<?, ?> from, Throwable t) {
    if (from == wire && !retry.failed(t, () -> reopen(from))) {
      failure = t;
    }
  }

  private void checkExpected(List<Any> assignments, long now) {
    for (Any any : assignments) {
      XdsResourceNames.Assignment a = XdsResourceNames.assignment(any);
      Expected e = expected.get(a.service());
      if (e != null && a.ports().contains(e.port())) {
        expected.remove(a.service());
        e.sink().acked(now - e.changedAtNanos());
      }
    }
  }

  /** Subscribes to the names the held resources of {@code leader} make this proxy follow. */
  private void follow(String type, TypeState leader) {
    TreeSet<String> names = new TreeSet<>();
    leader.held.values().forEach(names::addAll);
    TypeState state = types.get(type);
    List<String> list = List.copyOf(names);
    if (!state.subscribed || !state.names.equals(list)) {
      subscribe(type, list);
    }
  }

  private void subscribe(String type, List<String> names) {
    TypeState state = types.get(type);
    List<String> before = state.names;
    state.names = names;
    state.subscribed = true;
    if (type.equals(EDS) || type.equals(RDS)) {
      state.versions.keySet().retainAll(names); // not held any more, so not claimed on reconnect
    }
    if (wire != null) {
      wire.subscribe(type, state, before);
    }
  }

  /**
   * One ADS stream, of either protocol: {@code Q} the requests it sends, {@code R} the responses it
   * gets.
   */
  private abstract sealed class Wire<Q, R> implements StreamObserver<R>
      permits SotwWire, DeltaWire {
    @Nullable StreamObserver<Q> requests;
    boolean nodeSent;

    abstract void open(ManagedChannel channel);

    abstract void subscribe(String type, TypeState state, List<String> before);

    abstract void ack(String type, TypeState state);

    /** The first request of {@code type} on a reopened stream. */
    abstract void resume(String type, TypeState state);

    final void send(Q request) {
      if (requests != null) {
        requests.onNext(request);
      }
    }

    final void close() {
      if (requests != null) {
        requests.onCompleted();
      }
    }

    @Override
    public final void onError(Throwable t) {
      failed(this, t);
    }

    @Override
    public final void onCompleted() {}
  }

  private final class SotwWire extends Wire<DiscoveryRequest, DiscoveryResponse> {
    @Override
    void open(ManagedChannel channel) {
      requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
    }

    @Override
    void subscribe(String type, TypeState state, List<String> before) {
      ack(type, state); // state of the world: every request carries the whole subscription
    }

    @Override
    void resume(String type, TypeState state) {
      ack(type, state); // the last ACKed version, no nonce
    }

    @Override
    void ack(String type, TypeState state) {
      DiscoveryRequest.Builder request =
          DiscoveryRequest.newBuilder()
              .setTypeUrl(type)
              .setVersionInfo(state.version)
              .setResponseNonce(state.nonce)
              .addAllResourceNames(state.names);
      if (!nodeSent) { // Envoy sends the node on the first request of a stream only
        request.setNode(node);
        nodeSent = true;
      }
      send(request.build());
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      keep(response);
      String type = response.getTypeUrl();
      List<Any> resources = response.getResourcesList();
      received(
          this,
          type,
          response.getVersionInfo(),
          response.getNonce(),
          resources,
          XdsResourceNames.held(type, resources, List.of()),
          Map.of(),
          List.of(),
          true);
    }
  }

  /**
   * Incremental xDS: subscriptions change by what is added and removed, responses carry only what
   * changed, and an ACK is the nonce alone.
   */
  private final class DeltaWire extends Wire<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
    @Override
    void open(ManagedChannel channel) {
      requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(this);
    }

    @Override
    void subscribe(String type, TypeState state, List<String> before) {
      DeltaDiscoveryRequest.Builder request = DeltaDiscoveryRequest.newBuilder().setTypeUrl(type);
      state.names.stream()
          .filter(n -> !before.contains(n))
          .forEach(request::addResourceNamesSubscribe);
      before.stream()
          .filter(n -> !state.names.contains(n))
          .forEach(request::addResourceNamesUnsubscribe);
      sendWithNode(request);
    }

    @Override
    void ack(String type, TypeState state) {
      sendWithNode(
          DeltaDiscoveryRequest.newBuilder().setTypeUrl(type).setResponseNonce(state.nonce));
    }

    @Override
    void resume(String type, TypeState state) {
      // the whole subscription again (none: wildcard) and what it holds, by version
      sendWithNode(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(type)
              .addAllResourceNamesSubscribe(state.names)
              .putAllInitialResourceVersions(state.versions));
    }

    private void sendWithNode(DeltaDiscoveryRequest.Builder request) {
      if (!nodeSent) {
        request.setNode(node);
        nodeSent = true;
      }
      send(request.build());
    }

    @Override
    public void onNext(DeltaDiscoveryResponse response) {
      List<Any> resources = new ArrayList<>(response.getResourcesCount());
      List<String> names = new ArrayList<>(response.getResourcesCount());
      Map<String, String> versions = new HashMap<>();
      for (Resource r : response.getResourcesList()) {
        resources.add(r.getResource());
        names.add(r.getName());
        versions.put(r.getName(), r.getVersion());
      }
      received(
          this,
          response.getTypeUrl(),
          response.getSystemVersionInfo(),
          response.getNonce(),
          resources,
          XdsResourceNames.held(response.getTypeUrl(), resources, names),
          versions,
          response.getRemovedResourcesList(),
          false);
    }
  }
}
