package dev.meshgate.xds;

import static dev.meshgate.xds.MeshgateServerTest.CDS;
import static dev.meshgate.xds.MeshgateServerTest.EDS;
import static dev.meshgate.xds.MeshgateServerTest.RDS;
import static dev.meshgate.xds.MeshgateServerTest.names;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.StaticCatalog;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of the state-of-the-world protocol {@link SotwStream} answers that the other server
 * tests do not reach (NACKs: {@link NackHoldTest}; order, ACKs and pushes: {@link
 * MeshgateServerTest}). One server for the class; each test its own proxy and stream.
 */
class SotwStreamTest {
  static final String POLICY =
      """
      gateway edge 8080 2
      endpoint 127.0.0.1 9101 v1
      """;

  static final Duration QUIET = Duration.ofMillis(500);

  @TempDir static Path dir;
  @TempDir static Path caDir;
  static MeshgateServer server;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), POLICY);
    var catalog = new StaticCatalog();
    server =
        MeshgateServer.start(
            ServerOptions.loopback(List.of(dir), caDir).withReloadDebounce(Duration.ofMillis(20)),
            catalog,
            Fixtures.FAKE_COMPILER,
            catalog);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aRequestWithAStaleNonceIsIgnored() throws Exception {
    try (var envoy = new XdsTestClient(server, "stale-1", "edge")) {
      envoy.send(envoy.request(RDS, List.of("edge")));
      DiscoveryResponse first = envoy.next();
      // Names the proxy never acknowledged would be answered at once, but not under an old nonce.
      envoy.send(
          envoy.ack(first, List.of("edge", "other")).toBuilder().setResponseNonce("41").build());
      assertThat(envoy.quiet(QUIET)).as("a request answering another response").isTrue();

      envoy.send(envoy.ack(first, List.of("edge")));
      assertThat(envoy.quiet(QUIET)).as("an ACK of the current version").isTrue();
      envoy.send(envoy.request(RDS, List.of("edge")).toBuilder().setResponseNonce("").build());
      assertThat(envoy.quiet(QUIET))
          .as("an empty nonce after a response is stale too (the proxy has our response)")
          .isTrue();
    }
  }

  @Test
  void endpointsAreAnsweredAgainAfterClustersWereSent() throws Exception {
    // Envoy re-requests the endpoints of clusters it just received (cluster warming), with the
    // version it has; without an answer the clusters would warm until the EDS timeout.
    try (var envoy = new XdsTestClient(server, "warming-1", "edge")) {
      envoy.send(envoy.request(CDS, List.of()));
      DiscoveryResponse cds = envoy.next();
      envoy.send(envoy.ack(cds, List.of()));
      List<String> clusters = List.of("catalog", "catalog.v1");
      envoy.send(envoy.request(EDS, clusters));
      DiscoveryResponse eds = envoy.next();
      assertThat(names(eds)).containsExactlyElementsOf(clusters);
      envoy.send(envoy.ack(eds, clusters));
      assertThat(envoy.quiet(QUIET)).as("acknowledged: nothing to send").isTrue();

      // A reconnecting proxy asks for clusters it has at their version: nothing new...
      envoy.send(envoy.ack(cds, List.of()));
      assertThat(envoy.quiet(QUIET)).isTrue();
    }
    try (var envoy = new XdsTestClient(server, "warming-2", "edge")) {
      envoy.send(envoy.request(CDS, List.of()));
      DiscoveryResponse cds = envoy.next();
      List<String> clusters = List.of("catalog", "catalog.v1");
      envoy.send(envoy.request(EDS, clusters));
      DiscoveryResponse eds = envoy.next();
      envoy.send(envoy.ack(eds, clusters));
      envoy.send(envoy.ack(cds, List.of()));
      assertThat(envoy.quiet(QUIET)).isTrue();
      // ...but after clusters went out, the same endpoint request at the same version is answered.
      envoy.send(
          envoy.request(CDS, List.of()).toBuilder().setResponseNonce(cds.getNonce()).build());
      DiscoveryResponse again = envoy.next();
      assertThat(again.getTypeUrl()).isEqualTo(CDS);
      envoy.send(envoy.ack(eds, clusters));
      DiscoveryResponse warmed = envoy.next();
      assertThat(warmed.getTypeUrl()).isEqualTo(EDS);
      assertThat(warmed.getVersionInfo()).isEqualTo(eds.getVersionInfo());
      assertThat(names(warmed)).containsExactlyElementsOf(clusters);
    }
  }

  @Test
  void aRequestNamingAResourceTheGroupLacksWaitsForIt() throws Exception {
    try (var envoy = new XdsTestClient(server, "waiting-1", "edge")) {
      envoy.send(envoy.request(EDS, List.of("catalog", "missing")));
      assertThat(envoy.quiet(QUIET))
          .as("endpoints of a cluster the group does not have: not yet")
          .isTrue();
      envoy.send(envoy.request(EDS, List.of("catalog")).toBuilder().build());
      DiscoveryResponse eds = envoy.next();
      assertThat(names(eds)).containsExactly("catalog");
    }
  }

  @Test
  void aResponseIsTheDiscoveryResponseJavaControlPlaneSent() throws Exception {
    try (var envoy = new XdsTestClient(server, "bytes-1", "edge")) {
      envoy.send(envoy.request(EDS, List.of("catalog.v1", "catalog")));
      DiscoveryResponse eds = envoy.next();
      assertThat(eds.getTypeUrl()).isEqualTo(EDS);
      assertThat(eds.getNonce()).isNotEmpty();
      assertThat(eds.getVersionInfo()).isNotEmpty();
      assertThat(names(eds)).as("in the order asked").containsExactly("catalog.v1", "catalog");
      assertThat(eds.getResources(0).getTypeUrl())
          .isEqualTo("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment");
    }
  }
}
