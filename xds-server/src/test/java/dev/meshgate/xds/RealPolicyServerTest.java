package dev.meshgate.xds;

import static dev.meshgate.xds.MeshgateServerTest.CDS;
import static dev.meshgate.xds.MeshgateServerTest.EDS;
import static dev.meshgate.xds.MeshgateServerTest.LDS;
import static dev.meshgate.xds.MeshgateServerTest.RDS;
import static dev.meshgate.xds.MeshgateServerTest.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server with the real compiler and policy text in the v1 language. */
class RealPolicyServerTest {
  static final String POLICY =
      """
      # the catalog service, two versions
      service catalog {
        source static 127.0.0.1:9101 labels version=v1 zone=a, 127.0.0.1:9102 labels version=v2
        protocol http
        subset v1 where version = "v1"
        subset v2 where version = "v2"
      }

      gateway edge {
        listen :8080
        host "*" {
          route /catalog/** {
            to catalog.v1 90%, catalog.v2 10%
            timeout 2s
          }
          route /** { to catalog }
        }
      }
      """;

  @TempDir Path dir;
  @TempDir Path caDir;
  MeshgateServer server;
  Admin admin;

  void start() throws Exception {
    server =
        MeshgateServer.start(
            ServerOptions.loopback(List.of(dir), caDir).withReloadDebounce(Duration.ofMillis(100)));
    admin = new Admin(server.adminPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void filesWrittenJustBeforeTheStartAreReadOnceMoreWhenTheyHaveSettled() throws Exception {
    // Written now, so the first load cannot trust its read of it later: the server reads it once
    // more some 3 s on (PolicySourceCache's settling), not at the first edit. Without that reload
    // nothing would read the file again here (no edit comes), and the wait below would time out.
    // (Whether it is still pending when start() returns depends on how long the start took.)
    Files.writeString(dir.resolve("shop.mesh"), POLICY);
    start();
    String version = server.policyVersion();

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (server.untilReadsSettle().isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    assertThat(server.untilReadsSettle()).as("read again once settled").isEmpty();
    assertThat(server.policyVersion()).as("nothing compiled or published").isEqualTo(version);
  }

  @Test
  void servesTheCompiledGatewayAndPushesEdits() throws Exception {
    Path file = dir.resolve("shop.mesh");
    Files.writeString(file, POLICY);
    start();
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(CDS, List.of()));
      DiscoveryResponse cds = envoy.next();
      assertThat(names(cds)).containsExactlyInAnyOrder("catalog", "catalog.v1", "catalog.v2");
      envoy.send(envoy.ack(cds, List.of()));

      List<String> clusters = names(cds).stream().sorted().toList();
      envoy.send(envoy.request(EDS, clusters));
      DiscoveryResponse eds = envoy.next();
      Map<String, ClusterLoadAssignment> byName =
          eds.getResourcesList().stream()
              .map(a -> MeshgateServerTest.unpack(a, ClusterLoadAssignment.class))
              .collect(Collectors.toMap(ClusterLoadAssignment::getClusterName, c -> c));
      assertThat(MeshgateServerTest.ports(byName.get("catalog")))
          .containsExactlyInAnyOrder(9101, 9102);
      assertThat(MeshgateServerTest.ports(byName.get("catalog.v1"))).containsExactly(9101);
      assertThat(byName.get("catalog.v1").getEndpoints(0).getLocality().getZone()).isEqualTo("a");
      assertThat(MeshgateServerTest.ports(byName.get("catalog.v2"))).containsExactly(9102);
      envoy.send(envoy.ack(eds, clusters));

      envoy.send(envoy.request(LDS, List.of()));
      DiscoveryResponse lds = envoy.next();
      assertThat(names(lds)).containsExactly("edge:8080");
      envoy.send(envoy.ack(lds, List.of()));

      envoy.send(envoy.request(RDS, List.of("edge")));
      DiscoveryResponse rds = envoy.next();
      assertThat(names(rds)).containsExactly("edge");
      envoy.send(envoy.ack(rds, List.of("edge")));
      admin.awaitStatus(
          s -> s.at("/proxies/0/xds/routes/ackedVersion").asText().equals(rds.getVersionInfo()));

      Files.writeString(file, POLICY.replace("timeout 2s", "timeout 3s"));
      DiscoveryResponse pushed = envoy.next(Duration.ofSeconds(2));
      assertThat(pushed.getTypeUrl()).isEqualTo(RDS);
      assertThat(pushed.getVersionInfo()).isNotEqualTo(rds.getVersionInfo());
      assertThat(pushed.getResources(0).unpack(RouteConfiguration.class).toString())
          .contains("seconds: 3");
      envoy.send(envoy.ack(pushed, List.of("edge")));

      // A broken edit: the last good snapshot stays, /status says why.
      JsonNode before = admin.status();
      Files.writeString(
          file, POLICY.replace("route /** { to catalog }", "route /** { to catalg }"));
      JsonNode status = admin.awaitStatus(s -> !s.at("/policy/lastReload/ok").asBoolean());
      JsonNode diagnostic = status.at("/policy/lastReload/diagnostics/0");
      assertThat(diagnostic.get("severity").asText()).isEqualTo("error");
      assertThat(diagnostic.get("code").asText()).startsWith("MG2");
      assertThat(diagnostic.get("file").asText()).endsWith("shop.mesh");
      assertThat(diagnostic.get("rendered").asText()).contains("catalg");
      assertThat(status.get("groups")).isEqualTo(before.get("groups"));
      assertThat(envoy.quiet(Duration.ofMillis(300))).isTrue();
    }
  }

  @Test
  void policyWithErrorsIsRejectedAtStart() throws Exception {
    Files.writeString(dir.resolve("shop.mesh"), POLICY.replace("{ to catalog }", "{ to catalg }"));
    assertThatThrownBy(this::start)
        .isInstanceOfSatisfying(
            PolicyRejectedException.class,
            e ->
                assertThat(e.diagnostics())
                    .anySatisfy(d -> assertThat(d.render()).contains("catalg")));
  }
}
