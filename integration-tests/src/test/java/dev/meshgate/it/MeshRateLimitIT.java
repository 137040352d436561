package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * local rate limits (issue 13) on a mesh call: the caller's sidecar keeps the buckets, so calls
 * over the limit are answered 429 before they leave orders, and each value of the key has its own
 * bucket.
 */
@ExtendWith(PrintLogsOnFailure.class)
class MeshRateLimitIT {
  private static final String POLICY =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      """
          + MeshStack.service("orders")
          + MeshStack.service("catalog")
          + """
          allow orders -> catalog
          call orders -> catalog { rate-limit 2 per 1h by header "x-tenant" }
          """;

  private static final AtomicInteger PROBES = new AtomicInteger();

  @TempDir static Path work;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    mesh = MeshStack.start(work, POLICY, List.of("orders", "catalog"), List.of());
    // Each probe has a tenant of its own, so probing takes no token from the tests' tenants.
    Wait.until(
        Duration.ofSeconds(30),
        "orders to reach catalog",
        () ->
            mesh.call(
                        "orders",
                        "catalog",
                        "GET",
                        "/probe",
                        "x-tenant",
                        "probe-" + PROBES.incrementAndGet())
                    .statusCode()
                == 200);
  }

  @AfterEach
  void envoysRejectedNothing() {
    mesh.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(mesh);
  }

  @Test
  void callsOverTheLimitAreRefusedByTheCallersSidecarPerTenant() {
    int before = mesh.app("catalog").requests();

    assertThat(statuses(3, "acme")).containsExactly(200, 200, 429);
    assertThat(statuses(3, "globex")).containsExactly(200, 200, 429);
    assertThat(mesh.app("catalog").requests() - before)
        .as("calls that reached catalog's app")
        .isEqualTo(4);
  }

  private static List<Integer> statuses(int count, String tenant) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response =
          mesh.call("orders", "catalog", "GET", "/x", "x-tenant", tenant);
      statuses.add(response.statusCode());
    }
    return statuses;
  }
}
