package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Subscription;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog that changes endpoints after the fact (as Consul will): only EDS moves. */
class CatalogUpdatesTest {
  @TempDir Path dir;
  @TempDir Path caDir;

  /** Answers asynchronously, like a blocking-query adapter, and lets the test push changes. */
  static final class ManualCatalog implements ServiceCatalog {
    final List<EndpointListener> listeners = new CopyOnWriteArrayList<>();
    final List<Boolean> cancelled = new CopyOnWriteArrayList<>();

    @Override
    public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
      var s = (ServiceQuery.Static) query;
      listeners.add(listener);
      int index = cancelled.size();
      cancelled.add(false);
      Thread.ofVirtual().start(() -> listener.onEndpoints(s.endpoints()));
      return () -> cancelled.set(index, true);
    }

    void push(List<Endpoint> endpoints) {
      listeners.forEach(l -> l.onEndpoints(endpoints));
    }

    @Override
    public void close() {}
  }

  @Test
  void endpointChangeIsPushedAsEdsOnly() throws Exception {
    Files.writeString(dir.resolve("p.mesh"), MeshgateServerTest.POLICY);
    var catalog = new ManualCatalog();
    try (var server =
            MeshgateServer.start(
                ServerOptions.loopback(List.of(dir), caDir)
                    .withReloadDebounce(Duration.ofMillis(50)),
                catalog,
                Fixtures.FAKE_COMPILER,
                null);
        var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.send(envoy.request(MeshgateServerTest.CDS, List.of()));
      envoy.send(envoy.ack(envoy.next(), List.of()));
      List<String> clusters = List.of("catalog", "catalog.v1");
      envoy.send(envoy.request(MeshgateServerTest.EDS, clusters));
      DiscoveryResponse eds = envoy.next();
      // The first answer may race the catalog's first (asynchronous) delivery: wait until it has
      // both endpoints.
      while (eds.getResourcesList().stream()
              .map(a -> MeshgateServerTest.unpack(a, ClusterLoadAssignment.class))
              .filter(c -> c.getClusterName().equals("catalog"))
              .mapToInt(c -> MeshgateServerTest.ports(c).size())
              .sum()
          < 2) {
        envoy.send(envoy.ack(eds, clusters));
        eds = envoy.next();
      }
      envoy.send(envoy.ack(eds, clusters));
      assertThat(envoy.quiet(Duration.ofMillis(100))).isTrue();

      catalog.push(
          List.of(
              new Endpoint(
                  "127.0.0.1",
                  9201,
                  new java.util.TreeMap<>(Map.of("version", "v1")),
                  java.util.Optional.empty(),
                  true),
              new Endpoint(
                  "127.0.0.1",
                  9202,
                  new java.util.TreeMap<>(Map.of("version", "v1")),
                  java.util.Optional.empty(),
                  false)));
      DiscoveryResponse pushed = envoy.next(Duration.ofSeconds(2));
      assertThat(pushed.getTypeUrl()).isEqualTo(MeshgateServerTest.EDS);
      assertThat(pushed.getResourcesList())
          .map(a -> MeshgateServerTest.unpack(a, ClusterLoadAssignment.class))
          .allSatisfy(c -> assertThat(MeshgateServerTest.ports(c)).containsExactly(9201));
      envoy.send(envoy.ack(pushed, clusters));
      assertThat(envoy.quiet(Duration.ofMillis(200))).isTrue();

      // A policy change that drops the service's static list for another resubscribes.
      Files.writeString(dir.resolve("p.mesh"), "gateway edge 8080 2\nendpoint 127.0.0.1 9301 v1\n");
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (!catalog.cancelled.getFirst() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(catalog.cancelled).containsExactly(true, false);
    }
  }
}
