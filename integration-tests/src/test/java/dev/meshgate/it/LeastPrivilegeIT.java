package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege, observed in the running Envoys rather than in our own output: orders' sidecar
 * knows catalog (the one service it may call) and its own app, and nothing of the other services of
 * the mesh, not even payments, which accepts calls from anyone ({@code allow * -> payments} names
 * no caller); asking it for another service gets no route.
 */
@ExtendWith(PrintLogsOnFailure.class)
class LeastPrivilegeIT {
  private static final List<String> SERVICES =
      List.of("orders", "catalog", "payments", "inventory", "reviews");

  private static final String POLICY =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      """
          + String.join("", SERVICES.stream().map(MeshStack::service).toList())
          + """
          allow orders -> catalog
          allow reviews -> inventory
          allow * -> payments
          """;

  @TempDir static Path work;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    mesh = MeshStack.start(work, POLICY, SERVICES, List.of());
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
  void ordersSidecarHoldsOnlyCatalogAndItsOwnApp() {
    EnvoyProcess orders = mesh.envoy("orders");
    assertThat(orders.dynamicClusterNames()).containsExactlyInAnyOrder("catalog", "orders.app");
    assertThat(orders.dynamicSecretNames())
        .containsExactlyInAnyOrder("meshgate.identity", "meshgate.trust-bundle");
    assertThat(outboundVirtualHostDomains(orders)).containsExactly("catalog");
    // Not a word about the rest of the mesh anywhere in what Envoy holds.
    String dump = orders.configDump().toString();
    for (String other : List.of("payments", "inventory", "reviews")) {
      assertThat(dump).as("orders' config_dump mentions %s", other).doesNotContain(other);
    }
  }

  @Test
  void eachSidecarsClustersFollowItsOwnDependencies() {
    assertThat(mesh.envoy("reviews").dynamicClusterNames())
        .containsExactlyInAnyOrder("inventory", "reviews.app");
    assertThat(mesh.envoy("catalog").dynamicClusterNames()).containsExactly("catalog.app");
    assertThat(mesh.envoy("payments").dynamicClusterNames()).containsExactly("payments.app");
    assertThat(mesh.envoy("inventory").dynamicClusterNames()).containsExactly("inventory.app");
  }

  @Test
  void ordersCanReachCatalogButHasNoRouteToAnythingElse() {
    assertThat(MeshStack.ok(mesh.call("orders", "catalog", "GET", "/x")).path("backend").asText())
        .isEqualTo("catalog");
    for (String other : List.of("payments", "inventory", "reviews")) {
      mesh.app(other).reset();
      HttpResponse<String> response = mesh.call("orders", other, "GET", "/x");
      assertThat(response.statusCode())
          .as("orders -> %s: %s", other, response.body())
          .isEqualTo(404);
      assertThat(mesh.app(other).requests()).isZero();
    }
  }

  /**
   * The domains of every virtual host in orders' outbound route configuration (its inbound one,
   * also over RDS, has the one catch-all virtual host of its own app).
   */
  private static List<String> outboundVirtualHostDomains(EnvoyProcess envoy) {
    List<String> domains = new ArrayList<>();
    for (JsonNode rc : envoy.configDump("RoutesConfigDump").path("dynamic_route_configs")) {
      if (!rc.path("route_config").path("name").asText().endsWith(":outbound")) {
        continue;
      }
      for (JsonNode vh : rc.path("route_config").path("virtual_hosts")) {
        vh.path("domains").forEach(d -> domains.add(d.asText()));
      }
    }
    return domains;
  }
}
