package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.discovery.StaticCatalog;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server end to end over real loopback sockets, with a fake compiler (see {@link Fixtures}):
 * gRPC ADS as an Envoy speaks it, the admin API, hot reload.
 */
class MeshgateServerTest {
  static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  static final String LDS = Resources.V3.LISTENER_TYPE_URL;
  static final String RDS = Resources.V3.ROUTE_TYPE_URL;
  static final String POLICY =
      """
      gateway edge 8080 2
      endpoint 127.0.0.1 9101 v1
      endpoint 127.0.0.1 9102 v2
      """;

  @TempDir Path dir;
  @TempDir Path caDir;
  MeshgateServer server;
  Admin admin;

  MeshgateServer start(String policy) throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), policy);
    return start();
  }

  MeshgateServer start() throws Exception {
    return start(Duration.ofMillis(100));
  }

  MeshgateServer start(Duration debounce) throws Exception {
    var options = options(dir, debounce);
    var catalog = new StaticCatalog();
    server = MeshgateServer.start(options, catalog, Fixtures.FAKE_COMPILER, catalog);
    admin = new Admin(server.adminPort());
    return server;
  }

  /** Loopback, free ports, mutual-TLS xDS with the test's CA. */
  ServerOptions options(Path policy, Duration debounce) {
    return ServerOptions.loopback(List.of(policy), caDir).withReloadDebounce(debounce);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static List<String> names(DiscoveryResponse response) {
    return response.getResourcesList().stream().map(Resources::getResourceName).toList();
  }

  static JsonNode group(JsonNode status, String key) {
    for (JsonNode g : status.get("groups")) {
      if (g.get("key").asText().equals(key)) {
        return g;
      }
    }
    throw new AssertionError("no group " + key + " in " + status.toPrettyString());
  }

  @Test
  void servesCdsEdsLdsRdsInOrderAndRecordsAcks() throws Exception {
    start(POLICY);
    JsonNode versions = group(admin.status(), "gateway:edge").get("versions");
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(CDS, List.of()));
      DiscoveryResponse cds = envoy.next();
      assertThat(cds.getTypeUrl()).isEqualTo(CDS);
      assertThat(names(cds)).containsExactlyInAnyOrder("catalog", "catalog.v1");
      assertThat(cds.getVersionInfo()).isEqualTo(versions.get("clusters").asText()).hasSize(16);
      assertThat(cds.getResources(0).unpack(Cluster.class).getType())
          .isEqualTo(Cluster.DiscoveryType.EDS);
      envoy.send(envoy.ack(cds, List.of()));

      List<String> clusters = List.of("catalog", "catalog.v1");
      envoy.send(envoy.request(EDS, clusters));
      DiscoveryResponse eds = envoy.next();
      assertThat(eds.getTypeUrl()).isEqualTo(EDS);
      assertThat(eds.getVersionInfo()).isEqualTo(versions.get("endpoints").asText());
      var byName =
          eds.getResourcesList().stream()
              .map(a -> unpack(a, ClusterLoadAssignment.class))
              .collect(
                  java.util.stream.Collectors.toMap(ClusterLoadAssignment::getClusterName, c -> c));
      assertThat(ports(byName.get("catalog"))).containsExactly(9101, 9102);
      assertThat(ports(byName.get("catalog.v1"))).containsExactly(9101);
      envoy.send(envoy.ack(eds, clusters));

      envoy.send(envoy.request(LDS, List.of()));
      DiscoveryResponse lds = envoy.next();
      assertThat(names(lds)).containsExactly("edge:8080");
      assertThat(lds.getVersionInfo()).isEqualTo(versions.get("listeners").asText());
      assertThat(lds.getResources(0).unpack(Listener.class).getName()).isEqualTo("edge:8080");
      envoy.send(envoy.ack(lds, List.of()));

      envoy.send(envoy.request(RDS, List.of("edge")));
      DiscoveryResponse rds = envoy.next();
      assertThat(names(rds)).containsExactly("edge");
      assertThat(rds.getVersionInfo()).isEqualTo(versions.get("routes").asText());
      assertThat(rds.getResources(0).unpack(RouteConfiguration.class).getVirtualHostsCount())
          .isEqualTo(1);
      envoy.send(envoy.ack(rds, List.of("edge")));

      JsonNode status =
          admin.awaitStatus(s ->
              s.get("proxies").size() == 1
                  && s.at("/proxies/0/xds/routes/ackedVersion")
                      .asText()
                      .equals(rds.getVersionInfo()));
      JsonNode proxy = status.get("proxies").get(0);
      assertThat(proxy.get("id").asText()).isEqualTo("edge-1");
      assertThat(proxy.get("group").asText()).isEqualTo("gateway:edge");
      assertThat(proxy.get("connectedAt").asText()).isNotEmpty();
      assertThat(proxy.at("/xds/clusters/ackedVersion").asText()).isEqualTo(cds.getVersionInfo());
      assertThat(proxy.at("/xds/endpoints/ackedVersion").asText()).isEqualTo(eds.getVersionInfo());
      assertThat(proxy.at("/xds/listeners/ackedVersion").asText()).isEqualTo(lds.getVersionInfo());
      assertThat(proxy.at("/xds/clusters/lastNack").isNull()).isTrue();
      assertThat(admin.metric("meshgate_proxies_connected", "")).isEqualTo(1.0);
      assertThat(admin.metric("meshgate_xds_pushes_total", "type=\"clusters\"")).isEqualTo(1.0);
      assertThat(admin.metric("meshgate_xds_pushes_total", "type=\"routes\"")).isEqualTo(1.0);
      assertThat(envoy.quiet(Duration.ofMillis(200))).as("nothing re-sent after the ACKs").isTrue();
    }
    admin.awaitStatus(s -> s.get("proxies").isEmpty());
    assertThat(admin.metric("meshgate_proxies_connected", "")).isEqualTo(0.0);
  }

  @Test
  void aDroppedConnectionIsNoLongerCounted() throws Exception {
    start(POLICY);
    var envoy = new XdsTestClient(server, "edge-killed", "edge");
    envoy.send(envoy.request(CDS, List.of()));
    envoy.next();
    admin.awaitStatus(s -> s.get("proxies").size() == 1);
    envoy.abort();
    admin.awaitStatus(s -> s.get("proxies").isEmpty());
    assertThat(admin.metric("meshgate_proxies_connected", "")).isEqualTo(0.0);
  }

  @Test
  void statusFieldOrderIsFixed() throws Exception {
    start(POLICY);
    String body = admin.request("GET", "/status").body();
    assertThat(body.indexOf("\"policy\"")).isLessThan(body.indexOf("\"groups\""));
    assertThat(body.indexOf("\"groups\"")).isLessThan(body.indexOf("\"proxies\""));
    JsonNode status = admin.status();
    assertThat(status.at("/policy/version").asText()).hasSize(16);
    assertThat(status.at("/policy/lastReload/ok").asBoolean()).isTrue();
    assertThat(status.at("/policy/lastReload/diagnostics")).isEmpty();
    List<String> fields = new java.util.ArrayList<>();
    group(status, "gateway:edge").get("versions").fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("clusters", "endpoints", "listeners", "routes");
  }

  @Test
  void nackIsRecordedWithItsMessageAndCounted() throws Exception {
    start(POLICY);
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(CDS, List.of()));
      DiscoveryResponse cds = envoy.next();
      envoy.send(envoy.nack(cds, "", "cluster catalog: unknown field"));
      JsonNode status =
          admin.awaitStatus(s ->
              !s.at("/proxies/0/xds/clusters/lastNack").isMissingNode()
                  && !s.at("/proxies/0/xds/clusters/lastNack").isNull());
      JsonNode nack = status.at("/proxies/0/xds/clusters/lastNack");
      assertThat(nack.get("version").asText()).isEqualTo(cds.getVersionInfo());
      assertThat(nack.get("message").asText()).isEqualTo("cluster catalog: unknown field");
      assertThat(nack.get("at").asText()).isNotEmpty();
      assertThat(status.at("/proxies/0/xds/clusters/ackedVersion").isNull()).isTrue();
      assertThat(admin.metric("meshgate_xds_nacks_total", "type=\"clusters\"")).isEqualTo(1.0);
      assertThat(admin.metric("meshgate_xds_nacks_total", "type=\"routes\"")).isEqualTo(0.0);
    }
  }

  @Test
  void deltaAdsReturnsResourcesWithContentVersions() throws Exception {
    start(POLICY);
    try (var envoy = new XdsTestClient(server, "edge-d", "edge")) {
      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder().setNode(envoy.node()).setTypeUrl(CDS).build());
      DeltaDiscoveryResponse cds = envoy.nextDelta();
      assertThat(cds.getTypeUrl()).isEqualTo(CDS);
      assertThat(cds.getResourcesList())
          .extracting(io.envoyproxy.envoy.service.discovery.v3.Resource::getName)
          .containsExactlyInAnyOrder("catalog", "catalog.v1");
      assertThat(cds.getResources(0).getVersion()).hasSize(16);
      String clustersVersion =
          group(admin.status(), "gateway:edge").at("/versions/clusters").asText();
      assertThat(cds.getSystemVersionInfo()).isEqualTo(clustersVersion);
      // ACK without node: the server keeps the stream's node.
      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(CDS)
              .setResponseNonce(cds.getNonce())
              .build());

      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(EDS)
              .addResourceNamesSubscribe("catalog.v1")
              .build());
      DeltaDiscoveryResponse eds = envoy.nextDelta();
      assertThat(eds.getResourcesList()).hasSize(1);
      assertThat(eds.getResources(0).getName()).isEqualTo("catalog.v1");
      assertThat(ports(eds.getResources(0).getResource().unpack(ClusterLoadAssignment.class)))
          .containsExactly(9101);

      admin.awaitStatus(
          s -> s.at("/proxies/0/xds/clusters/ackedVersion").asText().equals(clustersVersion));
    }
  }

  @Test
  void unknownGroupGetsNothingAndIsCounted() throws Exception {
    start(POLICY);
    try (var envoy = new XdsTestClient(server, "stray-1", "nope")) {
      envoy.send(envoy.request(CDS, List.of()));
      assertThat(envoy.quiet(Duration.ofMillis(500))).isTrue();
      assertThat(admin.metric("meshgate_xds_unknown_group_total", "")).isEqualTo(1.0);
      JsonNode status = admin.awaitStatus(s -> s.get("proxies").size() == 1);
      assertThat(status.at("/proxies/0/group").asText()).isEqualTo("gateway:nope");
    }
  }

  @Test
  void editedPolicyIsPushedToOpenStreams() throws Exception {
    start(POLICY);
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(CDS, List.of()));
      DiscoveryResponse cds = envoy.next();
      envoy.send(envoy.ack(cds, List.of()));
      envoy.send(envoy.request(RDS, List.of("edge")));
      DiscoveryResponse rds = envoy.next();
      envoy.send(envoy.ack(rds, List.of("edge")));
      assertThat(envoy.quiet(Duration.ofMillis(100))).isTrue();

      // An editor's atomic save: write a temporary file, rename it over the policy.
      Path tmp = dir.resolve(".policy.mesh.swp");
      Files.writeString(tmp, POLICY.replace("gateway edge 8080 2", "gateway edge 8080 5"));
      Files.move(
          tmp,
          dir.resolve("policy.mesh"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);

      DiscoveryResponse pushed = envoy.next(Duration.ofSeconds(2));
      assertThat(pushed.getTypeUrl()).as("only the route table changed").isEqualTo(RDS);
      assertThat(pushed.getVersionInfo()).isNotEqualTo(rds.getVersionInfo());
      assertThat(
              pushed
                  .getResources(0)
                  .unpack(RouteConfiguration.class)
                  .getVirtualHosts(0)
                  .getRoutes(0)
                  .getRoute()
                  .getTimeout()
                  .getSeconds())
          .isEqualTo(5);
      envoy.send(envoy.ack(pushed, List.of("edge")));
      assertThat(envoy.quiet(Duration.ofMillis(300)))
          .as("clusters unchanged, not re-sent")
          .isTrue();
      assertThat(admin.metric("meshgate_policy_compiles_total", "result=\"ok\"")).isEqualTo(2.0);
    }
  }

  @Test
  void anEditReloadsAtOnceCompilesOnceAndPushesOnlyTheGroupThatChanged() throws Exception {
    // The default: no quiet window, the first file event reloads (issue 17.1).
    String policy = POLICY + "gateway admin 9090 2\n";
    Files.writeString(dir.resolve("policy.mesh"), policy);
    start(ServerOptions.DEFAULT_DEBOUNCE);
    try (var edge = new XdsTestClient(server, "edge-1", "edge");
        var other = new XdsTestClient(server, "admin-1", "admin")) {
      DiscoveryResponse rds = subscribeRoutes(edge, "edge");
      subscribeRoutes(other, "admin");

      Path tmp = dir.resolve(".policy.mesh.swp");
      Files.writeString(tmp, policy.replace("gateway edge 8080 2", "gateway edge 8080 5"));
      Files.move(
          tmp,
          dir.resolve("policy.mesh"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);

      DiscoveryResponse pushed = edge.next(Duration.ofSeconds(5));
      assertThat(pushed.getTypeUrl()).isEqualTo(RDS);
      assertThat(pushed.getVersionInfo()).isNotEqualTo(rds.getVersionInfo());
      edge.send(edge.ack(pushed, List.of("edge")));
      assertThat(other.quiet(Duration.ofMillis(300)))
          .as("gateway admin did not change: nothing is pushed to it")
          .isTrue();
      assertThat(edge.quiet(Duration.ofMillis(100))).as("one push for one edit").isTrue();
      assertThat(admin.metric("meshgate_policy_compiles_total", "result=\"ok\""))
          .as("the start and the one edit")
          .isEqualTo(2.0);
    }
  }

  /** Subscribes to clusters and the gateway's route table, acknowledges both; the routes. */
  private static DiscoveryResponse subscribeRoutes(XdsTestClient envoy, String routes)
      throws Exception {
    envoy.send(envoy.request(CDS, List.of()));
    envoy.send(envoy.ack(envoy.next(), List.of()));
    envoy.send(envoy.request(RDS, List.of(routes)));
    DiscoveryResponse rds = envoy.next();
    envoy.send(envoy.ack(rds, List.of(routes)));
    assertThat(envoy.quiet(Duration.ofMillis(100))).isTrue();
    return rds;
  }

  @Test
  void brokenEditKeepsTheLastGoodSnapshot() throws Exception {
    start(POLICY);
    JsonNode before = admin.status();
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(CDS, List.of()));
      envoy.send(envoy.ack(envoy.next(), List.of()));

      Files.writeString(
          dir.resolve("policy.mesh"), POLICY + "error MG201 unknown service \"catalg\"\n");
      JsonNode status = admin.awaitStatus(s -> !s.at("/policy/lastReload/ok").asBoolean());
      JsonNode diagnostic = status.at("/policy/lastReload/diagnostics/0");
      assertThat(diagnostic.get("severity").asText()).isEqualTo("error");
      assertThat(diagnostic.get("code").asText()).isEqualTo("MG201");
      assertThat(diagnostic.get("file").asText()).endsWith("policy.mesh");
      assertThat(diagnostic.get("line").asInt()).isEqualTo(4);
      assertThat(diagnostic.get("column").asInt()).isEqualTo(1);
      assertThat(diagnostic.get("message").asText()).isEqualTo("unknown service \"catalg\"");
      assertThat(diagnostic.get("rendered").asText())
          .contains("error[MG201]")
          .contains(" 4 | error MG201");
      assertThat(status.get("groups")).isEqualTo(before.get("groups"));
      assertThat(status.at("/policy/version")).isEqualTo(before.at("/policy/version"));
      assertThat(envoy.quiet(Duration.ofMillis(200))).isTrue();
      assertThat(admin.metric("meshgate_policy_compiles_total", "result=\"error\"")).isEqualTo(1.0);

      // Fixing it recovers.
      Files.writeString(dir.resolve("policy.mesh"), POLICY.replace("8080 2", "8080 3"));
      admin.awaitStatus(s -> s.at("/policy/lastReload/ok").asBoolean());
    }
  }

  @Test
  void aCompilerCrashIsCountedApartFromPolicyErrors() throws Exception {
    start(POLICY);
    Files.writeString(dir.resolve("policy.mesh"), POLICY + "crash\n");
    admin.awaitStatus(s -> !s.at("/policy/lastReload/ok").asBoolean());
    assertThat(admin.metric("meshgate_policy_compiles_total", "result=\"crash\"")).isEqualTo(1.0);
    assertThat(admin.metric("meshgate_policy_compiles_total", "result=\"error\"")).isEqualTo(0.0);
  }

  @Test
  void newSubdirectoriesAndDeletedFilesAreSeen() throws Exception {
    Files.writeString(dir.resolve("edge.mesh"), POLICY);
    start();
    Path sub = Files.createDirectories(dir.resolve("teams/search"));
    Files.writeString(sub.resolve("search.mesh"), "gateway search 8081 1\n");
    admin.awaitStatus(s -> s.get("groups").size() == 2);
    Files.delete(sub.resolve("search.mesh"));
    JsonNode status = admin.awaitStatus(s -> s.get("groups").size() == 1);
    assertThat(status.at("/groups/0/key").asText()).isEqualTo("gateway:edge");
    assertThat(status.at("/policy/lastReload/ok").asBoolean()).isTrue();
  }

  @Test
  void unreadablePolicyKeepsServing() throws Exception {
    Path file = dir.resolve("only.mesh");
    Files.writeString(file, POLICY);
    var catalog = new StaticCatalog();
    server =
        MeshgateServer.start(
            options(file, Duration.ofMillis(50)), catalog, Fixtures.FAKE_COMPILER, catalog);
    admin = new Admin(server.adminPort());
    Files.delete(file);
    JsonNode status = admin.awaitStatus(s -> !s.at("/policy/lastReload/ok").asBoolean());
    assertThat(status.at("/policy/lastReload/error").asText()).contains("only.mesh");
    assertThat(status.get("groups")).hasSize(1);
    Files.writeString(file, POLICY);
    admin.awaitStatus(s -> s.at("/policy/lastReload/ok").asBoolean());
  }

  @Test
  void singleFileUpdatedLikeAConfigMapVolumeIsSeen() throws Exception {
    // Kubernetes: policy.mesh -> ..data/policy.mesh, ..data -> ..v1; an update swaps ..data.
    Files.createDirectories(dir.resolve("..v1"));
    Files.createDirectories(dir.resolve("..v2"));
    Files.writeString(dir.resolve("..v1/policy.mesh"), POLICY);
    Files.writeString(dir.resolve("..v2/policy.mesh"), POLICY.replace("8080 2", "8080 7"));
    Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
    Path file = Files.createSymbolicLink(dir.resolve("policy.mesh"), Path.of("..data/policy.mesh"));
    var catalog = new StaticCatalog();
    server =
        MeshgateServer.start(
            options(file, Duration.ofMillis(50)), catalog, Fixtures.FAKE_COMPILER, catalog);
    admin = new Admin(server.adminPort());
    String routes = group(admin.status(), "gateway:edge").at("/versions/routes").asText();
    Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
    Files.move(
        dir.resolve("..data_tmp"),
        dir.resolve("..data"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    admin.awaitStatus(
        s -> !group(s, "gateway:edge").at("/versions/routes").asText().equals(routes));
  }

  @Test
  void perTypeServicesServeToo() throws Exception {
    start(POLICY);
    var channel = XdsTestClient.channel(server, dev.meshgate.compiler.ProxyGroup.gateway("edge"));
    try {
      var responses = new java.util.concurrent.LinkedBlockingQueue<DiscoveryResponse>();
      var requests =
          io.envoyproxy.envoy.service.cluster.v3.ClusterDiscoveryServiceGrpc.newStub(channel)
              .streamClusters(
                  new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                      responses.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  });
      var node = new XdsTestClient(server, "edge-cds", "edge");
      node.close();
      requests.onNext(node.request(CDS, List.of()));
      DiscoveryResponse cds = responses.poll(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(cds).isNotNull();
      assertThat(names(cds)).containsExactlyInAnyOrder("catalog", "catalog.v1");
      requests.onCompleted();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void samePolicyGivesSameVersionsAfterRestart() throws Exception {
    start(POLICY);
    JsonNode first = admin.status();
    server.close();
    start();
    JsonNode second = admin.status();
    assertThat(second.get("groups")).isEqualTo(first.get("groups"));
    assertThat(second.at("/policy/version")).isEqualTo(first.at("/policy/version"));
  }

  @Test
  void policyWithErrorsIsRejectedAtStart() throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), "error MG301 duration must be > 0\n");
    assertThatThrownBy(this::start)
        .isInstanceOfSatisfying(
            PolicyRejectedException.class,
            e -> {
              assertThat(e.diagnostics()).hasSize(1);
              assertThat(e.diagnostics().getFirst().code()).isEqualTo("MG301");
            });
  }

  @Test
  void adminAnswersHealthAndJsonErrors() throws Exception {
    start(POLICY);
    var health = admin.request("GET", "/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body().replaceAll("\\s", "")).isEqualTo("{\"status\":\"ok\"}");
    var missing = admin.request("GET", "/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(missing.body()).contains("\"error\"");
    var post = admin.request("POST", "/status");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.body()).contains("\"error\"");
    var metrics = admin.request("GET", "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("meshgate_proxies_connected")
        .contains("meshgate_xds_pushes_total{type=\"endpoints\"}")
        .contains("meshgate_xds_nacks_total{type=\"listeners\"}")
        .contains("meshgate_policy_compiles_total{result=\"ok\"} 1.0");
  }

  @Test
  void portsInUseFailCleanly() throws Exception {
    start(POLICY);
    var catalog = new StaticCatalog();
    var taken = options(dir, Duration.ofMillis(100)).withPorts(server.xdsPort(), 0);
    assertThatThrownBy(() -> MeshgateServer.start(taken, catalog, Fixtures.FAKE_COMPILER, catalog))
        .isInstanceOf(java.io.IOException.class);
  }

  static List<Integer> ports(ClusterLoadAssignment cla) {
    return cla.getEndpointsList().stream()
        .flatMap(l -> l.getLbEndpointsList().stream())
        .map(LbEndpoint::getEndpoint)
        .map(e -> e.getAddress().getSocketAddress().getPortValue())
        .toList();
  }

  static <T extends com.google.protobuf.Message> T unpack(
      com.google.protobuf.Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
