package dev.meshgate.xds;

import static dev.meshgate.xds.MeshgateServerTest.CDS;
import static dev.meshgate.xds.MeshgateServerTest.EDS;
import static dev.meshgate.xds.MeshgateServerTest.LDS;
import static dev.meshgate.xds.MeshgateServerTest.RDS;
import static dev.meshgate.xds.MeshgateServerTest.group;
import static dev.meshgate.xds.MeshgateServerTest.names;
import static dev.meshgate.xds.MeshgateServerTest.unpack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.rpc.Status;
import dev.meshgate.discovery.StaticCatalog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rejected (NACKed) version is not sent again: an Envoy that cannot apply it would NACK it again
 * at once, round after round. The next response comes when the policy changes. Real gRPC over
 * mutual TLS, as Envoy connects.
 */
class NackHoldTest {
  static final String POLICY =
      """
      gateway edge 8080 2
      endpoint 127.0.0.1 9101 v1
      """;

  /** Longer than Envoy's re-NACK round trip by orders of magnitude. */
  static final Duration HELD = Duration.ofSeconds(1);

  @TempDir Path dir;
  @TempDir Path caDir;
  MeshgateServer server;
  Admin admin;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  void start() throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), POLICY);
    var catalog = new StaticCatalog();
    server =
        MeshgateServer.start(
            ServerOptions.loopback(List.of(dir), caDir).withReloadDebounce(Duration.ofMillis(50)),
            catalog,
            Fixtures.FAKE_COMPILER,
            catalog);
    admin = new Admin(server.adminPort());
  }

  /** Rewrites the policy and waits until meshgate has published it. */
  void edit(String policy) throws Exception {
    String before = admin.status().at("/policy/version").asText();
    Files.writeString(dir.resolve("policy.mesh"), policy);
    admin.awaitStatus(s -> !s.at("/policy/version").asText().equals(before));
  }

  double pushes(String type) throws Exception {
    return admin.metric("meshgate_xds_pushes_total", "type=\"" + type + "\"");
  }

  JsonNode awaitNack(String type, String version) throws Exception {
    return admin
        .awaitStatus(
            s -> s.at("/proxies/0/xds/" + type + "/lastNack/version").asText().equals(version))
        .at("/proxies/0/xds/" + type + "/lastNack");
  }

  @Test
  void nackedClustersAreNotResentUntilThePolicyChanges() throws Exception {
    start();
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(CDS, List.of()));
      DiscoveryResponse cds = envoy.next();
      envoy.send(envoy.nack(cds, "", "cluster catalog: bad connect timeout"));

      assertThat(envoy.quiet(HELD)).as("the NACKed clusters are not sent again").isTrue();
      JsonNode nack = awaitNack("clusters", cds.getVersionInfo());
      assertThat(nack.get("message").asText()).isEqualTo("cluster catalog: bad connect timeout");
      assertThat(admin.metric("meshgate_xds_nacks_total", "type=\"clusters\"")).isEqualTo(1.0);
      assertThat(pushes("clusters")).isEqualTo(1.0);

      // Other types of the same stream are served as usual meanwhile.
      envoy.send(envoy.request(LDS, List.of()));
      DiscoveryResponse lds = envoy.next();
      assertThat(lds.getTypeUrl()).isEqualTo(LDS);
      envoy.send(envoy.ack(lds, List.of()));
      assertThat(envoy.quiet(Duration.ofMillis(300))).isTrue();

      edit(POLICY + "connect-timeout 3\n");
      DiscoveryResponse fixed = envoy.next();
      assertThat(fixed.getTypeUrl()).isEqualTo(CDS);
      assertThat(fixed.getVersionInfo()).isNotEqualTo(cds.getVersionInfo());
      assertThat(unpack(fixed.getResources(0), Cluster.class).getConnectTimeout().getSeconds())
          .isEqualTo(3);
      envoy.send(envoy.ack(fixed, List.of()));
      assertThat(envoy.quiet(Duration.ofMillis(300)))
          .as("an ACKed version is not re-sent")
          .isTrue();
      admin.awaitStatus(s ->
          s.at("/proxies/0/xds/clusters/ackedVersion").asText().equals(fixed.getVersionInfo()));
      assertThat(pushes("clusters")).isEqualTo(2.0);
    }
  }

  @Test
  void nackedRoutesAreHeldToo() throws Exception {
    // RDS names its resources: java-control-plane answers at once a request naming resources
    // the proxy never ACKed, whatever its version. A NACK must not count as such a request.
    start();
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(RDS, List.of("edge")));
      DiscoveryResponse first = envoy.next();
      envoy.send(envoy.nack(first, "", "route edge: bad timeout"));
      assertThat(envoy.quiet(HELD)).as("a never accepted route table is not re-sent").isTrue();
      awaitNack("routes", first.getVersionInfo());

      edit(POLICY.replace("8080 2", "8080 3"));
      DiscoveryResponse second = envoy.next();
      assertThat(second.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
      envoy.send(envoy.ack(second, List.of("edge")));
      assertThat(envoy.quiet(Duration.ofMillis(300))).isTrue();

      // A NACK after an accepted version carries that version: still held.
      edit(POLICY.replace("8080 2", "8080 4"));
      DiscoveryResponse third = envoy.next();
      envoy.send(envoy.nack(third, second.getVersionInfo(), "route edge: bad timeout again"));
      assertThat(envoy.quiet(HELD)).as("the rejected version is not re-sent").isTrue();
      awaitNack("routes", third.getVersionInfo());
      assertThat(admin.status().at("/proxies/0/xds/routes/ackedVersion").asText())
          .isEqualTo(second.getVersionInfo());

      edit(POLICY.replace("8080 2", "8080 5"));
      DiscoveryResponse fourth = envoy.next();
      assertThat(
              unpack(fourth.getResources(0), RouteConfiguration.class)
                  .getVirtualHosts(0)
                  .getRoutes(0)
                  .getRoute()
                  .getTimeout()
                  .getSeconds())
          .isEqualTo(5);
      assertThat(pushes("routes")).as("one push per version").isEqualTo(4.0);
    }
  }

  @Test
  void aNackOfAnOutdatedVersionIsAnsweredWithTheCurrentOne() throws Exception {
    start();
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(RDS, List.of("edge")));
      DiscoveryResponse first = envoy.next();
      // The policy changes while Envoy still holds the response unanswered...
      edit(POLICY.replace("8080 2", "8080 3"));
      assertThat(envoy.quiet(Duration.ofMillis(200))).isTrue();
      // ...so its NACK is of a version meshgate no longer serves: the current one goes out.
      envoy.send(envoy.nack(first, "", "route edge: bad timeout"));
      DiscoveryResponse current = envoy.next();
      assertThat(current.getVersionInfo())
          .isEqualTo(group(admin.status(), "gateway:edge").at("/versions/routes").asText())
          .isNotEqualTo(first.getVersionInfo());
      assertThat(names(current)).containsExactly("edge");
    }
  }

  @Test
  void nackedEndpointsAreHeldToo() throws Exception {
    start();
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(CDS, List.of()));
      envoy.send(envoy.ack(envoy.next(), List.of()));
      List<String> clusters = List.of("catalog", "catalog.v1");
      envoy.send(envoy.request(EDS, clusters));
      DiscoveryResponse eds = envoy.next();
      var nack =
          envoy.nack(eds, "", "bad endpoints").toBuilder().addAllResourceNames(clusters).build();
      envoy.send(nack);
      assertThat(envoy.quiet(HELD)).isTrue();
      awaitNack("endpoints", eds.getVersionInfo());

      edit(POLICY + "endpoint 127.0.0.1 9102 v1\n");
      DiscoveryResponse changed = envoy.next();
      assertThat(changed.getTypeUrl()).isEqualTo(EDS);
      assertThat(changed.getVersionInfo()).isNotEqualTo(eds.getVersionInfo());
    }
  }

  static DeltaDiscoveryRequest deltaNack(DeltaDiscoveryResponse response, String message) {
    return DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(response.getTypeUrl())
        .setResponseNonce(response.getNonce())
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(message))
        .build();
  }

  static DeltaDiscoveryRequest deltaAck(DeltaDiscoveryResponse response) {
    return DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(response.getTypeUrl())
        .setResponseNonce(response.getNonce())
        .build();
  }

  @Test
  void deltaNacksAreHeldToo() throws Exception {
    start();
    try (var envoy = new XdsTestClient(server, "edge-d", "edge")) {
      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder().setNode(envoy.node()).setTypeUrl(CDS).build());
      DeltaDiscoveryResponse cds = envoy.nextDelta();
      envoy.sendDelta(deltaNack(cds, "cluster catalog: bad connect timeout"));
      assertThat(envoy.quiet(HELD)).as("NACKed clusters are not re-sent").isTrue();
      awaitNack("clusters", cds.getSystemVersionInfo());

      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(RDS)
              .addResourceNamesSubscribe("edge")
              .build());
      DeltaDiscoveryResponse rds = envoy.nextDelta();
      assertThat(rds.getResourcesList()).extracting(Resource::getName).containsExactly("edge");
      envoy.sendDelta(deltaNack(rds, "route edge: bad timeout"));
      assertThat(envoy.quiet(HELD)).as("a never accepted route table is not re-sent").isTrue();
      awaitNack("routes", rds.getSystemVersionInfo());
      assertThat(pushes("clusters")).isEqualTo(1.0);
      assertThat(pushes("routes")).isEqualTo(1.0);

      // A change of the routes brings the new route table, and only that.
      edit(POLICY.replace("8080 2", "8080 3"));
      DeltaDiscoveryResponse routes = envoy.nextDelta();
      assertThat(routes.getTypeUrl()).isEqualTo(RDS);
      assertThat(routes.getResourcesList()).extracting(Resource::getName).containsExactly("edge");
      assertThat(routes.getSystemVersionInfo()).isNotEqualTo(rds.getSystemVersionInfo());
      assertThat(
              routes
                  .getResources(0)
                  .getResource()
                  .unpack(RouteConfiguration.class)
                  .getVirtualHosts(0)
                  .getRoutes(0)
                  .getRoute()
                  .getTimeout()
                  .getSeconds())
          .isEqualTo(3);
      envoy.sendDelta(deltaAck(routes));
      assertThat(envoy.quiet(Duration.ofMillis(300))).as("clusters unchanged: still held").isTrue();
      admin.awaitStatus(s ->
          s.at("/proxies/0/xds/routes/ackedVersion")
              .asText()
              .equals(routes.getSystemVersionInfo()));

      edit(POLICY.replace("8080 2", "8080 3") + "connect-timeout 3\n");
      DeltaDiscoveryResponse clusters = envoy.nextDelta();
      assertThat(clusters.getTypeUrl()).isEqualTo(CDS);
      assertThat(clusters.getResourcesList())
          .extracting(Resource::getName)
          .containsExactlyInAnyOrder("catalog", "catalog.v1");
      envoy.sendDelta(deltaAck(clusters));
      assertThat(envoy.quiet(Duration.ofMillis(300))).isTrue();
    }
  }

  @Test
  void aDeltaSubscriptionMadeWhileANackIsHeldIsAnswered() throws Exception {
    start();
    try (var envoy = new XdsTestClient(server, "edge-d", "edge")) {
      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(envoy.node())
              .setTypeUrl(EDS)
              .addResourceNamesSubscribe("catalog")
              .build());
      DeltaDiscoveryResponse first = envoy.nextDelta();
      assertThat(first.getResourcesList()).extracting(Resource::getName).containsExactly("catalog");
      envoy.sendDelta(deltaNack(first, "bad endpoints"));
      assertThat(envoy.quiet(HELD)).isTrue();

      // A new subscription is answered: a new request, not a repeated NACK.
      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(EDS)
              .addResourceNamesSubscribe("catalog.v1")
              .build());
      DeltaDiscoveryResponse added = envoy.nextDelta();
      assertThat(added.getResourcesList()).extracting(Resource::getName).contains("catalog.v1");
      envoy.sendDelta(deltaAck(added));
      assertThat(envoy.quiet(Duration.ofMillis(300))).isTrue();
    }
  }
}
