package dev.meshgate.xds;

import static dev.meshgate.xds.MeshgateServerTest.LDS;
import static dev.meshgate.xds.MeshgateServerTest.RDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.StaticCatalog;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9.1: a group removed from the policy and added back, while its proxies stay connected, gets
 * every later change again. Envoy keeps a removed listener's route subscription while the listener
 * drains, so it never asks again: the server must keep answering the subscription it has.
 */
class GroupReAddTest {
  static final String WITH_EDGE =
      """
      gateway edge 8080 %d
      gateway other 9090 2
      endpoint 127.0.0.1 9101 v1
      """;
  static final String WITHOUT_EDGE =
      """
      gateway other 9090 2
      endpoint 127.0.0.1 9101 v1
      """;

  @TempDir Path dir;
  @TempDir Path caDir;
  MeshgateServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  void start() throws Exception {
    write(WITH_EDGE.formatted(2));
    var catalog = new StaticCatalog();
    server =
        MeshgateServer.start(
            ServerOptions.loopback(List.of(dir), caDir).withReloadDebounce(Duration.ofMillis(50)),
            catalog,
            Fixtures.FAKE_COMPILER,
            catalog);
  }

  void write(String policy) throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), policy);
  }

  /** Writes {@code policy} and waits until the server serves it (group edge there or not). */
  void apply(String policy, boolean withEdge) throws Exception {
    write(policy);
    new Admin(server.adminPort())
        .awaitStatus(s -> {
          boolean has = false;
          for (var g : s.get("groups")) {
            has |= g.get("key").asText().equals("gateway:edge");
          }
          return has == withEdge;
        });
  }

  @Test
  void stateOfTheWorldRouteWatchSurvivesRemovalAndReAdd() throws Exception {
    start();
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(LDS, List.of()));
      envoy.send(envoy.ack(envoy.next(), List.of()));
      envoy.send(envoy.request(RDS, List.of("edge")));
      DiscoveryResponse rds = envoy.next();
      assertThat(timeout(rds)).isEqualTo(2);
      envoy.send(envoy.ack(rds, List.of("edge")));

      // Removed: the listener goes; like Envoy, the client keeps its (draining) route
      // subscription and ACKs whatever comes.
      apply(WITHOUT_EDGE, false);
      DiscoveryResponse lds = awaitType(envoy, LDS);
      assertThat(lds.getResourcesCount()).isZero();
      // Back, unchanged, then a route change: it must arrive.
      apply(WITH_EDGE.formatted(2), true);
      write(WITH_EDGE.formatted(3));
      long deadline = System.nanoTime() + XdsTestClient.WAIT.toNanos();
      int seen = -1;
      while (seen != 3 && System.nanoTime() < deadline) {
        DiscoveryResponse r = awaitType(envoy, RDS);
        if (r.getResourcesCount() > 0) {
          seen = timeout(r);
        }
      }
      assertThat(seen).as("route timeout the proxy was sent last").isEqualTo(3);
    }
  }

  @Test
  void deltaRouteSubscriptionSurvivesRemovalAndReAdd() throws Exception {
    start();
    try (var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(envoy.node())
              .setTypeUrl(RDS)
              .addResourceNamesSubscribe("edge")
              .build());
      DeltaDiscoveryResponse first = envoy.nextDelta();
      assertThat(deltaTimeout(first)).isEqualTo(2);
      ackDelta(envoy, first);

      apply(WITHOUT_EDGE, false);
      // Whatever the server says meanwhile (nothing, or a removal), the proxy stays subscribed.
      apply(WITH_EDGE.formatted(2), true);
      write(WITH_EDGE.formatted(3));
      long deadline = System.nanoTime() + XdsTestClient.WAIT.toNanos();
      int seen = -1;
      while (seen != 3 && System.nanoTime() < deadline) {
        DeltaDiscoveryResponse r = envoy.nextDelta();
        ackDelta(envoy, r);
        if (r.getResourcesCount() > 0) {
          seen = deltaTimeout(r);
        }
      }
      assertThat(seen).as("route timeout the proxy was sent last").isEqualTo(3);
    }
  }

  /** ACKs every response (Envoy style) until one of {@code typeUrl} comes, and returns it. */
  private static DiscoveryResponse awaitType(XdsTestClient envoy, String typeUrl)
      throws InterruptedException {
    while (true) {
      DiscoveryResponse r = envoy.next();
      envoy.send(envoy.ack(r, r.getTypeUrl().equals(RDS) ? List.of("edge") : List.of()));
      if (r.getTypeUrl().equals(typeUrl)) {
        return r;
      }
    }
  }

  private static void ackDelta(XdsTestClient envoy, DeltaDiscoveryResponse response) {
    envoy.sendDelta(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(response.getTypeUrl())
            .setResponseNonce(response.getNonce())
            .build());
  }

  private static int timeout(DiscoveryResponse rds) throws Exception {
    return (int)
        rds.getResources(0)
            .unpack(RouteConfiguration.class)
            .getVirtualHosts(0)
            .getRoutes(0)
            .getRoute()
            .getTimeout()
            .getSeconds();
  }

  private static int deltaTimeout(DeltaDiscoveryResponse rds) throws Exception {
    return (int)
        rds.getResources(0)
            .getResource()
            .unpack(RouteConfiguration.class)
            .getVirtualHosts(0)
            .getRoutes(0)
            .getRoute()
            .getTimeout()
            .getSeconds();
  }
}
