package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Resources.ApiVersion;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.DefaultProtoResourcesSerializer;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resources packed once per snapshot (issue 17.2) reach the proxy as the same messages
 * java-control-plane's own per-stream packing sends: two servers over the same snapshots, one with
 * {@link PackedResources}, one with the library's {@link DefaultProtoResourcesSerializer} ({@code
 * Any.pack} on every response, what {@code CachedProtoResourcesSerializer} caches); real gRPC on
 * loopback, so what is compared is what came off the wire, parsed.
 */
class PackedResourcesTest {
  static final String GROUP = "gateway:edge";

  private final List<Server> servers = new ArrayList<>();
  private final List<XdsTestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    clients.forEach(XdsTestClient::close);
    for (Server server : servers) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void packsEachResourceOnceAndAnswersByIdentity() throws InvalidProtocolBufferException {
    Cluster cluster = cluster("orders", "v1");
    TypedResources<Cluster> typed = TypedResources.of(List.of(cluster));
    ProtoResourcesSerializer serializer = new PackedResources();

    Any first = serializer.serialize(cluster, ApiVersion.V3);
    assertThat(serializer.serialize(cluster, ApiVersion.V3)).isSameAs(first);
    assertThat(serializer.serialize(List.of(cluster, cluster), ApiVersion.V3))
        .containsExactly(first, first);
    assertThat(first.getTypeUrl()).isEqualTo(Any.pack(cluster).getTypeUrl());
    assertThat(first.unpack(Cluster.class)).isEqualTo(cluster);
    // The bytes hashed for the version are the bytes sent.
    assertThat(ContentHash.ofBytes(first.getValue().toByteArray()))
        .isEqualTo(typed.versions().get("orders"));

    // A resource no snapshot registered (an equal but other instance) is packed on first use.
    Cluster equal = cluster("orders", "v1");
    Any packed = serializer.serialize(equal, ApiVersion.V3);
    assertThat(packed).isNotSameAs(first).isEqualTo(first); // deterministic bytes both times
    assertThat(serializer.serialize(equal, ApiVersion.V3)).isSameAs(packed);
  }

  @Test
  void stateOfTheWorldResponsesParseAsJavaControlPlanesOwn() throws Exception {
    Fixture packed = serve(new PackedResources());
    Fixture reference = serve(new DefaultProtoResourcesSerializer());

    Map<String, List<String>> requested =
        Map.of(
            MeshgateServerTest.CDS, List.of(),
            MeshgateServerTest.RDS, List.of("edge-8080"),
            MeshgateServerTest.EDS, List.of("orders", "shipping"));
    for (Fixture f : List.of(packed, reference)) {
      requested.forEach((type, names) -> f.client.send(f.client.request(type, names)));
    }
    String firstEndpoints = "";
    for (int i = 0; i < 3; i++) {
      DiscoveryResponse got = packed.client.next();
      DiscoveryResponse want = reference.client.next();
      assertThat(Parsed.of(got)).isEqualTo(Parsed.of(want));
      assertThat(got.getResourcesCount()).isPositive();
      List<String> names = requested.get(got.getTypeUrl());
      packed.client.send(ackWithNode(packed.client, got, names));
      reference.client.send(ackWithNode(reference.client, want, names));
      if (got.getTypeUrl().equals(MeshgateServerTest.EDS)) {
        firstEndpoints = got.getVersionInfo();
      }
    }

    // A new snapshot, fresh instances: only the endpoints' content changed. (An ACK that arrives
    // after it names the old version and is answered at once.)
    packed.cache.setSnapshot(GROUP, snapshot("v2"));
    reference.cache.setSnapshot(GROUP, snapshot("v2"));
    // java-control-plane may first send the endpoints again after the clusters' ACK (ADS warming),
    // or not, as the ACKs and the new snapshot race: the nonce tells how many responses the stream
    // had, so it is compared above, where the order is fixed, and not here.
    Parsed got = nextEndpoints(packed.client, firstEndpoints, requested);
    Parsed want = nextEndpoints(reference.client, firstEndpoints, requested);
    assertThat(got.withNonce("")).isEqualTo(want.withNonce(""));
    assertThat(got.resources())
        .containsExactly(endpoints("orders", "v2"), endpoints("shipping", "v2"));
  }

  /** Takes (and ACKs, as Envoy does) responses until the endpoints' new version. */
  private static Parsed nextEndpoints(
      XdsTestClient client, String oldVersion, Map<String, List<String>> requested)
      throws Exception {
    for (int i = 0; i < 4; i++) {
      DiscoveryResponse response = client.next();
      client.send(ackWithNode(client, response, requested.get(response.getTypeUrl())));
      if (response.getTypeUrl().equals(MeshgateServerTest.EDS)
          && !response.getVersionInfo().equals(oldVersion)) {
        return Parsed.of(response);
      }
    }
    throw new AssertionError("no new endpoints version");
  }

  @Test
  void deltaResponsesParseAsJavaControlPlanesOwn() throws Exception {
    Fixture packed = serve(new PackedResources());
    Fixture reference = serve(new DefaultProtoResourcesSerializer());

    for (Fixture f : List.of(packed, reference)) {
      f.client.sendDelta(delta(f.client, MeshgateServerTest.CDS, List.of()));
      f.client.sendDelta(delta(f.client, MeshgateServerTest.RDS, List.of("edge-8080")));
    }
    for (int i = 0; i < 2; i++) {
      DeltaDiscoveryResponse got = packed.client.nextDelta();
      DeltaDiscoveryResponse want = reference.client.nextDelta();
      assertThat(ParsedDelta.of(got)).isEqualTo(ParsedDelta.of(want));
      assertThat(got.getResourcesCount()).isPositive();
    }
  }

  /** A server over {@code serializer}, a snapshot of group {@link #GROUP}, and a client of it. */
  private Fixture serve(ProtoResourcesSerializer serializer) throws Exception {
    SimpleCache<String> cache = new SimpleCache<>(NodeGroups::key);
    cache.setSnapshot(GROUP, snapshot("v1"));
    V3DiscoveryServer discovery =
        new V3DiscoveryServer(List.of(), cache, new DefaultExecutorGroup(), serializer);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(discovery.getAggregatedDiscoveryServiceImpl())
            .build()
            .start();
    servers.add(server);
    XdsTestClient client =
        new XdsTestClient(
            XdsTestClient.plaintext(
                ((InetSocketAddress) server.getListenSockets().getFirst()).getPort()),
            "edge-1",
            "gateway",
            "edge");
    clients.add(client);
    return new Fixture(cache, client);
  }

  private record Fixture(SimpleCache<String> cache, XdsTestClient client) {}

  /** An ACK with the node: there is no NodeStickyInterceptor here to fill it in. */
  private static DiscoveryRequest ackWithNode(
      XdsTestClient client, DiscoveryResponse response, List<String> names) {
    return client.ack(response, names).toBuilder().setNode(client.node()).build();
  }

  private static DeltaDiscoveryRequest delta(
      XdsTestClient client, String type, List<String> names) {
    return DeltaDiscoveryRequest.newBuilder()
        .setNode(client.node())
        .setTypeUrl(type)
        .addAllResourceNamesSubscribe(names)
        .build();
  }

  /**
   * Fresh instances each call, as a recompile makes them; metadata and endpoint maps with several
   * keys out of order, so deterministic and insertion-order serialization differ in bytes.
   */
  static MeshSnapshot snapshot(String endpointVersion) {
    return new MeshSnapshot(
        TypedResources.of(List.of(cluster("orders", "v1"), cluster("shipping", "v2"))),
        TypedResources.of(
            List.of(endpoints("orders", endpointVersion), endpoints("shipping", endpointVersion))),
        TypedResources.of(List.<Listener>of()),
        TypedResources.of(List.of(routes("edge-8080"))),
        TypedResources.of(List.<Secret>of()));
  }

  static Cluster cluster(String name, String version) {
    return Fixtures.edsCluster(name).toBuilder()
        .setMetadata(metadata(Map.of("zeta", "1", "alpha", version, "mid", name)))
        .build();
  }

  static ClusterLoadAssignment endpoints(String cluster, String version) {
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(cluster)
        .addEndpoints(
            LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(
                    LbEndpoint.newBuilder()
                        .setMetadata(metadata(Map.of("version", version, "b", "2", "a", "1")))
                        .setEndpoint(
                            Endpoint.newBuilder()
                                .setAddress(
                                    Address.newBuilder()
                                        .setSocketAddress(
                                            SocketAddress.newBuilder()
                                                .setAddress("127.0.0.1")
                                                .setPortValue(9101))))))
        .build();
  }

  static RouteConfiguration routes(String name) {
    RouteConfiguration.Builder routes = Fixtures.routes(name, 1).toBuilder();
    routes
        .getVirtualHostsBuilder(0)
        .getRoutesBuilder(0)
        .setMetadata(metadata(Map.of("y", "1", "x", "2")));
    return routes.build();
  }

  private static Metadata metadata(Map<String, String> values) {
    Struct.Builder struct = Struct.newBuilder();
    values.forEach((k, v) -> struct.putFields(k, Value.newBuilder().setStringValue(v).build()));
    return Metadata.newBuilder().putFilterMetadata("meshgate", struct.build()).build();
  }

  /** What a proxy reads from a state-of-the-world response: every field, resources unpacked. */
  record Parsed(
      String version,
      String nonce,
      String typeUrl,
      String controlPlane,
      List<String> resourceTypeUrls,
      List<Message> resources) {
    Parsed withNonce(String other) {
      return new Parsed(version, other, typeUrl, controlPlane, resourceTypeUrls, resources);
    }

    static Parsed of(DiscoveryResponse r) throws InvalidProtocolBufferException {
      List<String> urls = new ArrayList<>();
      List<Message> resources = new ArrayList<>();
      for (Any any : r.getResourcesList()) {
        urls.add(any.getTypeUrl());
        resources.add(unpack(any));
      }
      return new Parsed(
          r.getVersionInfo(),
          r.getNonce(),
          r.getTypeUrl(),
          r.getControlPlane().getIdentifier(),
          urls,
          resources);
    }
  }

  /** What a proxy reads from a delta response: every field, resources unpacked. */
  record ParsedDelta(
      String systemVersion,
      String nonce,
      String typeUrl,
      List<String> removed,
      List<String> names,
      List<String> versions,
      List<Message> resources) {
    static ParsedDelta of(DeltaDiscoveryResponse r) throws InvalidProtocolBufferException {
      List<String> names = new ArrayList<>();
      List<String> versions = new ArrayList<>();
      List<Message> resources = new ArrayList<>();
      for (Resource resource : r.getResourcesList()) {
        names.add(resource.getName());
        versions.add(resource.getVersion());
        resources.add(unpack(resource.getResource()));
      }
      return new ParsedDelta(
          r.getSystemVersionInfo(),
          r.getNonce(),
          r.getTypeUrl(),
          r.getRemovedResourcesList(),
          names,
          versions,
          resources);
    }
  }

  static Message unpack(Any any) throws InvalidProtocolBufferException {
    return switch (any.getTypeUrl()) {
      case Resources.V3.CLUSTER_TYPE_URL -> any.unpack(Cluster.class);
      case Resources.V3.ENDPOINT_TYPE_URL -> any.unpack(ClusterLoadAssignment.class);
      case Resources.V3.ROUTE_TYPE_URL -> any.unpack(RouteConfiguration.class);
      case Resources.V3.LISTENER_TYPE_URL -> any.unpack(Listener.class);
      case Resources.V3.SECRET_TYPE_URL -> any.unpack(Secret.class);
      default -> throw new AssertionError("unexpected type " + any.getTypeUrl());
    };
  }
}
