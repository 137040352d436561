package dev.meshgate.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshgate.compiler.ProxyGroup;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One Envoy as the server sees it: a state-of-the-world ADS stream that asks for CDS and LDS
 * (wildcard), then EDS for the clusters CDS named and RDS for the route tables the listeners' HTTP
 * connection managers name, and ACKs every response, as Envoy does. It keeps only the last version,
 * resource count and arrival time per type, not the resources.
 */
final class SimulatedEnvoy implements StreamObserver<DiscoveryResponse> {
  static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  static final List<String> TYPES = List.of(CDS, EDS, LDS, RDS);

  /** What the stream last got for one type. */
  record Seen(String version, int resources, long atNanos, int responses) {}

  private static final class TypeState {
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
  private final Node node;
  private final Map<String, TypeState> types = new HashMap<>();
  private StreamObserver<DiscoveryRequest> requests;
  private long openedAtNanos;
  private long servedAtNanos;
  private Throwable failure;
  private boolean nodeSent;
  private boolean keep;
  private final Map<String, DiscoveryResponse> kept = new HashMap<>();

  SimulatedEnvoy(String id, ProxyGroup group) {
    this.id = id;
    this.group = group;
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
    for (String type : TYPES) {
      types.put(type, new TypeState());
    }
  }

  /** Opens the ADS stream on {@code channel} and asks for clusters and listeners. */
  synchronized void start(ManagedChannel channel) {
    openedAtNanos = System.nanoTime();
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
    subscribe(CDS, List.of());
    subscribe(LDS, List.of());
  }

  @Override
  public synchronized void onNext(DiscoveryResponse response) {
    long now = System.nanoTime();
    TypeState state = types.get(response.getTypeUrl());
    if (state == null) {
      return; // not asked for
    }
    state.version = response.getVersionInfo();
    state.nonce = response.getNonce();
    state.resources = response.getResourcesCount();
    state.atNanos = now;
    state.responses++;
    if (keep) {
      kept.put(response.getTypeUrl(), response);
    }
    send(response.getTypeUrl(), state); // the ACK
    if (response.getTypeUrl().equals(CDS)) {
      follow(EDS, clusterNames(response));
    } else if (response.getTypeUrl().equals(LDS)) {
      follow(RDS, routeNames(response));
    }
    if (servedAtNanos == 0 && types.values().stream().allMatch(t -> t.responses > 0)) {
      servedAtNanos = now;
    }
  }

  @Override
  public synchronized void onError(Throwable t) {
    failure = t;
  }

  @Override
  public void onCompleted() {}

  /** Ends the stream, as an Envoy that shuts down does. */
  synchronized void stop() {
    if (requests != null && failure == null) {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // the channel may already be gone
      }
    }
  }

  /**
   * Keeps the last response of each type (call before {@link #start}): for exporting what a server
   * served (PeerComparison), not for load, whose proxies keep only versions.
   */
  synchronized void keepResponses() {
    keep = true;
  }

  /** The last response of {@code type}, if {@link #keepResponses} was called and one came. */
  synchronized java.util.Optional<DiscoveryResponse> lastResponse(String type) {
    return java.util.Optional.ofNullable(kept.get(type));
  }

  synchronized Seen seen(String type) {
    TypeState s = types.get(type);
    return new Seen(s.version, s.resources, s.atNanos, s.responses);
  }

  /** When every type had its first response (0 until then). */
  synchronized long servedAtNanos() {
    return servedAtNanos;
  }

  synchronized long openedAtNanos() {
    return openedAtNanos;
  }

  synchronized Throwable failure() {
    return failure;
  }

  /**
   * Subscribes to or changes the names of a type that follows another (EDS after CDS, RDS after
   * LDS).
   */
  private void follow(String type, List<String> names) {
    TypeState state = types.get(type);
    if (!state.subscribed || !state.names.equals(names)) {
      subscribe(type, names);
    }
  }

  private void subscribe(String type, List<String> names) {
    TypeState state = types.get(type);
    state.names = names;
    state.subscribed = true;
    send(type, state);
  }

  private void send(String type, TypeState state) {
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
    requests.onNext(request.build());
  }

  private static List<String> clusterNames(DiscoveryResponse response) {
    TreeSet<String> names = new TreeSet<>();
    for (Any any : response.getResourcesList()) {
      Cluster cluster = unpack(any, Cluster.class);
      if (cluster.getType() == Cluster.DiscoveryType.EDS) {
        String serviceName = cluster.getEdsClusterConfig().getServiceName();
        names.add(serviceName.isEmpty() ? cluster.getName() : serviceName);
      }
    }
    return List.copyOf(names);
  }

  private static List<String> routeNames(DiscoveryResponse response) {
    TreeSet<String> names = new TreeSet<>();
    for (Any any : response.getResourcesList()) {
      Listener listener = unpack(any, Listener.class);
      List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
      if (listener.hasDefaultFilterChain()) {
        chains.add(listener.getDefaultFilterChain());
      }
      for (FilterChain chain : chains) {
        for (Filter filter : chain.getFiltersList()) {
          if (filter.hasTypedConfig() && filter.getTypedConfig().is(HttpConnectionManager.class)) {
            HttpConnectionManager hcm =
                unpack(filter.getTypedConfig(), HttpConnectionManager.class);
            if (hcm.hasRds()) {
              names.add(hcm.getRds().getRouteConfigName());
            }
          }
        }
      }
    }
    return List.copyOf(names);
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot read a " + type.getSimpleName() + " the server sent", e);
    }
  }
}
