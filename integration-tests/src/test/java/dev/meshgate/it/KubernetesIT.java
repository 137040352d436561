package dev.meshgate.it;

import static dev.meshgate.discovery.testing.KubernetesObjects.endpoint;
import static dev.meshgate.discovery.testing.KubernetesObjects.notReady;
import static dev.meshgate.discovery.testing.KubernetesObjects.pod;
import static dev.meshgate.discovery.testing.KubernetesObjects.service;
import static dev.meshgate.discovery.testing.KubernetesObjects.servicePort;
import static dev.meshgate.discovery.testing.KubernetesObjects.slice;
import static dev.meshgate.discovery.testing.KubernetesObjects.terminating;
import static dev.meshgate.discovery.testing.KubernetesObjects.withEndpoints;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import dev.meshgate.discovery.testing.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes end to end: fabric8's mock API server in CRUD mode (real list + watch) in this JVM, a
 * real {@code meshgate serve --kubernetes} child process pointed at it, a real Envoy and real
 * traffic. Every change to the Service's EndpointSlices and pods shows in Envoy's {@code /clusters}
 * and in which upstream answers within 2 s.
 *
 * <p>Endpoints of one slice share its port, so a slice with several endpoints needs several
 * addresses: its upstreams listen on 127.0.0.2, .3, .4 (all loopback on Linux) on one port. A
 * second slice holds a {@link Backend} on 127.0.0.1 at its own port.
 */
@ExtendWith(PrintLogsOnFailure.class)
class KubernetesIT {
  private static final Duration FOLLOW = Duration.ofSeconds(2);
  private static final String NS = "shop";
  private static final String POLICY =
      """
      service catalog {
        source kubernetes "shop/catalog" port http
        subset v2 where version = "v2"
      }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /v2/** { to catalog.v2 }
          route /** { to catalog }
        }
      }
      """;

  @TempDir static Path work;
  static final List<AutoCloseable> open = new ArrayList<>();

  @AfterAll
  static void stop() {
    Closer.closeAll(open.reversed().toArray(AutoCloseable[]::new));
  }

  private static <T extends AutoCloseable> T keep(T resource) {
    open.add(resource);
    return resource;
  }

  /** An upstream as the test sees it: the name it answers with, and where Envoy reaches it. */
  record Upstream(String name, String address) {}

  @Test
  void envoyFollowsEndpointSlicesAndPodLabels() {
    RequiredEnvoy.path(); // skip (or fail in CI) before starting anything
    KubernetesMockApi api = keep(KubernetesMockApi.start());

    // catalog-1..3 share slice catalog-a (one port, three loopback addresses); catalog-4 is a
    // Backend in slice catalog-b.
    List<PodServer> pods =
        keep(PodServer.Group.start("catalog-1", "catalog-2", "catalog-3")).servers();
    int podPort = pods.getFirst().port();
    Upstream c1 = pods.get(0).upstream();
    Upstream c2 = pods.get(1).upstream();
    Upstream c3 = pods.get(2).upstream();
    Backend b4 = keep(Backend.start("catalog-4"));
    Upstream c4 = new Upstream(b4.name(), b4.address());

    Endpoint e1 = endpoint(NS, "127.0.0.2", "catalog-1", "zone-a");
    Endpoint e2 = endpoint(NS, "127.0.0.3", "catalog-2", "zone-b");
    Endpoint e3 = endpoint(NS, "127.0.0.4", "catalog-3", "zone-a");
    Endpoint e4 = endpoint(NS, "127.0.0.1", "catalog-4", "zone-b");
    // Service port 80 named http; the slices list its target port, which is where traffic goes.
    api.create(
        service(
            NS, "catalog", servicePort("http", 80, podPort), servicePort("metrics", 9090, 9090)),
        pod(NS, "catalog-1", Map.of("app", "catalog", "version", "v1")),
        pod(NS, "catalog-2", Map.of("app", "catalog", "version", "v2")),
        pod(NS, "catalog-3", Map.of("app", "catalog", "version", "v2")),
        pod(NS, "catalog-4", Map.of("app", "catalog", "version", "v1")),
        slice(NS, "catalog-a", "catalog", "http", podPort, e1, e2),
        slice(NS, "catalog-b", "catalog", "http", b4.port(), e4));

    int port = FreePorts.next();
    Path policy =
        Policy.write(
            work.resolve("policy/policy.mesh"), Policy.render(POLICY, Map.of("port", port)));
    long started = System.nanoTime();
    MeshgateProcess meshgate =
        keep(
            MeshgateProcess.start(
                policy.getParent(),
                work,
                api.jvmOptions(),
                "--kubernetes",
                "--eds-coalesce",
                "50ms"));
    EnvoyProcess envoy = keep(GatewayStack.startEnvoy("edge", meshgate, work, 1));
    Gateway edge = new Gateway(envoy, port);

    // Both slices' ready endpoints serve; the subset holds only the pods labelled v2.
    edge.follows("initial slices", Duration.ofSeconds(10), c1, c2, c4);
    edge.subsetFollows("initial v2 subset", FOLLOW, c2);
    System.err.println(
        "KubernetesIT: serving after "
            + Duration.ofNanos(System.nanoTime() - started).toMillis()
            + " ms");
    // The endpoint's zone is Envoy's locality.
    assertThat(envoy.clusters()).contains("catalog::127.0.0.2:" + podPort + "::zone::zone-a");
    assertThat(envoy.clusters()).contains("catalog::127.0.0.3:" + podPort + "::zone::zone-b");

    // Scale up: a new endpoint in slice catalog-a.
    api.editSlice(NS, "catalog-a", s -> withEndpoints(s, e1, e2, e3));
    edge.follows("scale-up (catalog-3 added to slice catalog-a)", FOLLOW, c1, c2, c3, c4);
    edge.subsetFollows("v2 subset after scale-up", FOLLOW, c2, c3);

    // Not ready: no more traffic.
    api.editSlice(NS, "catalog-a", s -> withEndpoints(s, notReady(e1), e2, e3));
    edge.follows("catalog-1 not ready", FOLLOW, c2, c3, c4);

    // Terminating: drained.
    api.editSlice(NS, "catalog-a", s -> withEndpoints(s, notReady(e1), terminating(e2), e3));
    edge.follows("catalog-2 terminating", FOLLOW, c3, c4);
    edge.subsetFollows("v2 subset without the terminating pod", FOLLOW, c3);

    // A slice deleted: its endpoints go.
    api.deleteSlice(NS, "catalog-b");
    edge.follows("slice catalog-b deleted", FOLLOW, c3);

    // Ready again, and relabelled: the subset follows the pod's labels.
    api.editPod(
        NS,
        "catalog-1",
        p -> {
          p.getMetadata().getLabels().put("version", "v2");
          return p;
        });
    api.editSlice(NS, "catalog-a", s -> withEndpoints(s, e1, terminating(e2), e3));
    edge.follows("catalog-1 ready again", FOLLOW, c1, c3);
    edge.subsetFollows("catalog-1 relabelled v2", FOLLOW, c1, c3);

    envoy.assertNothingRejected();
    assertThat(meshgate.logText()).doesNotContain("Exception");
  }

  /** The gateway under test: its /clusters and traffic through its listener. */
  private record Gateway(EnvoyProcess envoy, int port) {

    /**
     * Within {@code timeout}, cluster catalog has exactly {@code upstreams}, and they answer on /.
     */
    void follows(String what, Duration timeout, Upstream... upstreams) {
      follows(what, "catalog", "/items", timeout, upstreams);
    }

    /** As {@link #follows}, for cluster catalog.v2 and requests under /v2/. */
    void subsetFollows(String what, Duration timeout, Upstream... upstreams) {
      follows(what, "catalog.v2", "/v2/items", timeout, upstreams);
    }

    private void follows(
        String what, String cluster, String path, Duration timeout, Upstream... upstreams) {
      Set<String> addresses =
          Stream.of(upstreams)
              .map(Upstream::address)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> names =
          Stream.of(upstreams).map(Upstream::name).collect(Collectors.toCollection(TreeSet::new));
      long start = System.nanoTime();
      Wait.until(
          timeout,
          what
              + ": /clusters of "
              + cluster
              + " "
              + addresses
              + " and traffic on "
              + path
              + " to "
              + names,
          () ->
              hosts(cluster).equals(addresses)
                  && servedBy(path, 4 * upstreams.length).equals(names));
      System.err.println(
          "KubernetesIT: "
              + what
              + " followed in "
              + Duration.ofNanos(System.nanoTime() - start).toMillis()
              + " ms");
    }

    private Set<String> servedBy(String path, int requests) {
      Set<String> seen = new TreeSet<>();
      for (int i = 0; i < requests; i++) {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + port + path);
        if (r.statusCode() != 200) {
          return Set.of("status " + r.statusCode());
        }
        seen.add(Http.json(r).path("backend").asText());
      }
      return seen;
    }

    /** Hosts of {@code cluster} in /clusters ({@code NAME::ADDR:PORT::health_flags::…}). */
    private Set<String> hosts(String cluster) {
      return envoy
          .clusters()
          .lines()
          .filter(l -> l.startsWith(cluster + "::") && l.contains("::health_flags::"))
          .map(l -> l.split("::")[1])
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /**
   * A pod's server: answers every request with {@code {"backend": NAME}} (as {@link Backend} does)
   * on {@code ADDRESS:PORT}, an address of the loopback network other than 127.0.0.1.
   */
  private static final class PodServer implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;

    private PodServer(String name, HttpServer server, ExecutorService executor) {
      this.name = name;
      this.server = server;
      this.executor = executor;
    }

    int port() {
      return server.getAddress().getPort();
    }

    Upstream upstream() {
      return new Upstream(name, server.getAddress().getAddress().getHostAddress() + ":" + port());
    }

    private static PodServer start(String name, String ip, int port) throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), port), 64);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      byte[] body = ("{\"backend\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              exchange.getRequestBody().readAllBytes();
              exchange.getResponseHeaders().set("content-type", "application/json");
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
            }
          });
      server.setExecutor(executor);
      server.start();
      return new PodServer(name, server, executor);
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }

    /** Servers on 127.0.0.2, 127.0.0.3, … all on one port, as the endpoints of one slice. */
    record Group(List<PodServer> servers) implements AutoCloseable {
      static Group start(String... names) {
        for (int attempt = 0; ; attempt++) {
          List<PodServer> started = new ArrayList<>();
          try {
            int port = 0;
            for (int i = 0; i < names.length; i++) {
              PodServer s = PodServer.start(names[i], "127.0.0." + (i + 2), port);
              started.add(s);
              port = s.port();
            }
            return new Group(List.copyOf(started));
          } catch (BindException e) {
            started.forEach(PodServer::close);
            if (attempt == 5) {
              throw new UncheckedIOException("no port free on 127.0.0.2.." + (names.length + 1), e);
            }
          } catch (IOException e) {
            started.forEach(PodServer::close);
            throw new UncheckedIOException(e);
          }
        }
      }

      @Override
      public void close() {
        servers.forEach(PodServer::close);
      }
    }
  }
}
