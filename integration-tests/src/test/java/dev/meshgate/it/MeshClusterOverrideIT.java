package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster settings on a call (issue 14): {@code call orders -> x { circuit-breaker … }} replaces
 * the callee's breaker in the orders sidecar, in both directions: the call loosens the tight
 * breaker of {@code eased} (a burst is served whole) and tightens the default one of {@code
 * tightened} (the same burst overflows). The callees are plain slow backends outside the mesh.
 */
@ExtendWith(PrintLogsOnFailure.class)
class MeshClusterOverrideIT {
  private static final String POLICY =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      service orders {
        source static 127.0.0.1:${orders.inbound}
        sidecar {
          inbound 127.0.0.1:${orders.inbound}
          app ${orders.app}
          outbound 127.0.0.1:${orders.outbound}
        }
      }
      service eased {
        source static @eased@
        circuit-breaker { max-connections 1 max-pending 1 max-requests 1 }
        outlier-detection { consecutive-5xx 7 }
      }
      service tightened {
        source static @tightened@
      }
      call orders -> eased { circuit-breaker { max-connections 50 max-pending 50 max-requests 50 } }
      call orders -> tightened { circuit-breaker { max-connections 1 max-pending 1 max-requests 1 } }
      """;

  private static final int BURST = 6;

  @TempDir static Path work;
  static Backend eased;
  static Backend tightened;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    eased = Backend.start("eased");
    tightened = Backend.start("tightened");
    String policy =
        POLICY.replace("@eased@", eased.address()).replace("@tightened@", tightened.address());
    mesh = MeshStack.start(work, policy, List.of("orders"), List.of());
  }

  @AfterEach
  void envoysRejectedNothing() {
    mesh.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(mesh, eased, tightened);
  }

  @Test
  void theCallsBreakerIsWhatTheCallersSidecarApplies() {
    JsonNode thresholds = thresholds("eased");
    assertThat(thresholds.path("max_connections").asInt()).isEqualTo(50);
    assertThat(thresholds.path("max_pending_requests").asInt()).isEqualTo(50);
    assertThat(thresholds.path("max_requests").asInt()).isEqualTo(50);
    // The statements the call does not write are the service's.
    assertThat(cluster("eased").path("outlier_detection").path("consecutive_5xx").asInt())
        .isEqualTo(7);
    JsonNode tight = thresholds("tightened");
    assertThat(tight.path("max_connections").asInt()).isEqualTo(1);
    assertThat(tight.path("max_pending_requests").asInt()).isEqualTo(1);
  }

  @Test
  void aCallLoosensTheServicesBreaker() throws Exception {
    eased.delay(Duration.ofMillis(1000));
    List<HttpResponse<String>> answers = burst("eased");
    assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
    assertThat(eased.requests()).isEqualTo(BURST);
  }

  @Test
  void aCallTightensTheServicesBreaker() throws Exception {
    tightened.delay(Duration.ofMillis(1000));
    List<HttpResponse<String>> answers = burst("tightened");
    List<HttpResponse<String>> overloaded =
        answers.stream().filter(r -> r.statusCode() != 200).toList();
    int served = BURST - overloaded.size();
    assertThat(served).isBetween(1, 2);
    assertThat(overloaded)
        .allSatisfy(r -> {
          assertThat(r.statusCode()).isEqualTo(503);
          assertThat(r.headers().firstValue("x-envoy-overloaded")).hasValue("true");
        });
    assertThat(tightened.requests()).isEqualTo(served);
    assertThat(
            mesh.envoy("orders").stat("cluster.tightened.upstream_rq_pending_overflow").orElse(0))
        .isGreaterThanOrEqualTo(BURST - 2);
  }

  /** {@link #BURST} concurrent calls from orders' app to {@code callee}. */
  private static List<HttpResponse<String>> burst(String callee) throws Exception {
    List<Future<HttpResponse<String>>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < BURST; i++) {
        futures.add(pool.submit(() -> mesh.call("orders", callee, "GET", "/x")));
      }
      List<HttpResponse<String>> out = new ArrayList<>();
      for (Future<HttpResponse<String>> f : futures) {
        out.add(f.get());
      }
      return out;
    }
  }

  /** The orders sidecar's cluster {@code name}, as its Envoy applied it. */
  private static JsonNode cluster(String name) {
    for (JsonNode c :
        mesh.envoy("orders").configDump("ClustersConfigDump").path("dynamic_active_clusters")) {
      if (c.path("cluster").path("name").asText().equals(name)) {
        return c.path("cluster");
      }
    }
    throw new AssertionError("orders' sidecar has no cluster " + name);
  }

  private static JsonNode thresholds(String name) {
    return cluster(name).path("circuit_breakers").path("thresholds").path(0);
  }
}
