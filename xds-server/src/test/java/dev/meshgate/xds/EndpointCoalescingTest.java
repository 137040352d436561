package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Subscription;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EDS that scales: endpoint changes are coalesced, and a delta client is sent only the
 * ClusterLoadAssignments that changed (versions per cluster, not one for all endpoints).
 */
class EndpointCoalescingTest {
  @TempDir Path dir;

  /** Answers Consul queries by service name; the test pushes lists. */
  static final class ConsulLikeCatalog implements ServiceCatalog {
    final Map<String, EndpointListener> listeners = new ConcurrentHashMap<>();

    @Override
    public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
      var c = (ServiceQuery.Consul) query;
      listeners.put(c.service(), listener);
      listener.onEndpoints(List.of(endpoint(c.service().equals("catalog") ? 9100 : 9200)));
      return () -> listeners.remove(c.service());
    }

    void push(String service, int... ports) {
      listeners
          .get(service)
          .onEndpoints(IntStream.of(ports).mapToObj(EndpointCoalescingTest::endpoint).toList());
    }

    @Override
    public void close() {}
  }

  static Endpoint endpoint(int port) {
    return new Endpoint("127.0.0.1", port, new TreeMap<>(), Optional.empty(), true);
  }

  /** One gateway with two Consul-sourced services, catalog and orders, one cluster each. */
  static final PolicyCompiler TWO_SERVICES =
      new PolicyCompiler() {
        @Override
        public List<Source> load(List<Path> paths) throws IOException {
          return PolicyCompiler.DEFAULT.load(paths);
        }

        @Override
        public Compilation compile(List<Source> sources) {
          var group =
              new ProxyResources(
                  ProxyGroup.gateway("edge"),
                  List.of(Fixtures.listener("edge", 8080)),
                  List.of(Fixtures.routes("edge", 2)),
                  List.of(Fixtures.edsCluster("catalog"), Fixtures.edsCluster("orders")),
                  List.of(
                      new ClusterEndpoints(
                          "catalog",
                          "catalog",
                          new ServiceSource.Consul("catalog"),
                          new TreeMap<>()),
                      new ClusterEndpoints(
                          "orders",
                          "orders",
                          new ServiceSource.Consul("orders"),
                          new TreeMap<>())));
          return new Compilation(
              List.of(),
              Optional.of(new CompiledPolicy(new PolicyIr(List.of(), List.of()), List.of(group))));
        }
      };

  @Test
  void deltaClientIsSentOnlyTheChangedClusterAndBurstsAreCoalesced() throws Exception {
    Files.writeString(dir.resolve("p.mesh"), "# any text: the fake compiler ignores it\n");
    var catalog = new ConsulLikeCatalog();
    try (var server =
            MeshgateServer.start(
                ServerOptions.loopback(List.of(dir), dir.resolve("ca")),
                catalog,
                TWO_SERVICES,
                null,
                Duration.ofMillis(300));
        var envoy = new XdsTestClient(server, "edge-1", "edge")) {
      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setNode(envoy.node())
              .setTypeUrl(MeshgateServerTest.CDS)
              .build());
      DeltaDiscoveryResponse cds = envoy.nextDelta();
      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(MeshgateServerTest.CDS)
              .setResponseNonce(cds.getNonce())
              .build());
      envoy.sendDelta(
          DeltaDiscoveryRequest.newBuilder()
              .setTypeUrl(MeshgateServerTest.EDS)
              .addResourceNamesSubscribe("catalog")
              .addResourceNamesSubscribe("orders")
              .build());
      DeltaDiscoveryResponse eds = envoy.nextDelta();
      assertThat(eds.getResourcesList())
          .extracting(Resource::getName)
          .containsExactlyInAnyOrder("catalog", "orders");
      String catalogVersion = version(eds, "catalog");
      ack(envoy, eds);
      assertThat(envoy.quiet(Duration.ofMillis(400))).isTrue();

      // One service changes: only its ClusterLoadAssignment comes back.
      catalog.push("orders", 9201, 9202);
      DeltaDiscoveryResponse changed = envoy.nextDelta();
      assertThat(changed.getTypeUrl()).isEqualTo(MeshgateServerTest.EDS);
      assertThat(changed.getResourcesList())
          .extracting(Resource::getName)
          .containsExactly("orders");
      assertThat(changed.getRemovedResourcesList()).isEmpty();
      assertThat(ports(changed.getResources(0))).containsExactly(9201, 9202);
      ack(envoy, changed);
      assertThat(envoy.quiet(Duration.ofMillis(400))).isTrue();

      // A burst of changes within the window: one response, with the last state.
      long start = System.nanoTime();
      for (int i = 1; i <= 10; i++) {
        catalog.push("orders", 9300 + i);
      }
      catalog.push("catalog", 9101);
      DeltaDiscoveryResponse burst = envoy.nextDelta();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(250));
      assertThat(burst.getResourcesList())
          .extracting(Resource::getName)
          .containsExactlyInAnyOrder("catalog", "orders");
      assertThat(ports(resource(burst, "orders"))).containsExactly(9310);
      assertThat(ports(resource(burst, "catalog"))).containsExactly(9101);
      assertThat(version(burst, "catalog")).isNotEqualTo(catalogVersion);
      ack(envoy, burst);
      assertThat(envoy.quiet(Duration.ofMillis(500))).isTrue();

      // The same list again changes nothing: nothing is sent.
      catalog.push("orders", 9310);
      assertThat(envoy.quiet(Duration.ofMillis(600))).isTrue();
    }
  }

  private static void ack(XdsTestClient envoy, DeltaDiscoveryResponse response) {
    envoy.sendDelta(
        DeltaDiscoveryRequest.newBuilder()
            .setTypeUrl(response.getTypeUrl())
            .setResponseNonce(response.getNonce())
            .build());
  }

  private static Resource resource(DeltaDiscoveryResponse response, String name) {
    return response.getResourcesList().stream()
        .filter(r -> r.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String version(DeltaDiscoveryResponse response, String name) {
    return resource(response, name).getVersion();
  }

  private static List<Integer> ports(Resource resource) throws Exception {
    return MeshgateServerTest.ports(resource.getResource().unpack(ClusterLoadAssignment.class));
  }
}
