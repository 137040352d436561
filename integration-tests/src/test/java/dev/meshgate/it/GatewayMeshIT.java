package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge gateway is a mesh citizen: it calls catalog's sidecar over mTLS with its own SPIFFE
 * identity, so under {@code authz default deny} the route works with {@code allow edge -> catalog}
 * and is refused (403 from catalog's sidecar) without it: for a service that was never allowed, and
 * for catalog once the allow is removed from the running policy.
 */
@ExtendWith(PrintLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayMeshIT {
  private static final String MESH =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      """
          + MeshStack.service("catalog")
          + MeshStack.service("stock")
          + """
          gateway edge {
            listen 127.0.0.1:${edge.port}
            host "*" {
              route /catalog/** { to catalog }
              route /stock/** { to stock }
            }
          }
          """;
  private static final String POLICY = MESH + "allow edge -> catalog\n";

  private static final Duration APPLY_WITHIN = Duration.ofSeconds(2);

  private static final String EDGE_ID = "spiffe://" + MeshStack.TRUST_DOMAIN + "/gateway/edge";

  @TempDir static Path work;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    mesh = MeshStack.start(work, POLICY, List.of("catalog", "stock"), List.of("edge"));
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
  @Order(1)
  void allowedRouteWorksOverMutualTlsWithTheGatewaysIdentity() {
    JsonNode echo = MeshStack.ok(Http.get(mesh.gatewayUrl("edge", "/catalog/items")));
    assertThat(echo.path("backend").asText()).isEqualTo("catalog");
    assertThat(echo.path("path").asText()).isEqualTo("/catalog/items");
    assertThat(echo.path("headers").path("x-forwarded-client-cert").asText())
        .as("catalog's app learns the call came from the edge gateway")
        .contains("URI=" + EDGE_ID)
        .contains("By=" + mesh.member("catalog").spiffeId());
    EnvoyProcess edge = mesh.envoy("edge");
    assertThat(edge.stat("cluster.catalog.ssl.handshake").orElse(0))
        .as("TLS handshakes edge -> catalog")
        .isPositive();
    assertThat(edge.stat("cluster.catalog.ssl.fail_verify_san").orElse(0)).isZero();
    assertThat(edge.servedCertSerials(EDGE_ID))
        .as("the gateway's own certificate from SDS")
        .isNotEmpty();
  }

  @Test
  @Order(2)
  void routeToAServiceTheGatewayMayNotCallIs403() {
    mesh.app("stock").reset();
    long deniedBefore = enforcedDenials(mesh.envoy("stock"));
    HttpResponse<String> response = Http.get(mesh.gatewayUrl("edge", "/stock/items"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(mesh.app("stock").requests()).isZero();
    // The deny happened on stock's sidecar, after an mTLS handshake with the gateway.
    assertThat(enforcedDenials(mesh.envoy("stock")) - deniedBefore)
        .as("RBAC denials on stock's sidecar: %s", mesh.envoy("stock").stats("\\.rbac\\.", false))
        .isEqualTo(1);
    assertThat(mesh.envoy("edge").stat("cluster.stock.ssl.handshake").orElse(0)).isPositive();
  }

  /** The sum of the RBAC {@code …denied} counters (shadow ones excluded) of {@code envoy}. */
  private static long enforcedDenials(EnvoyProcess envoy) {
    return envoy.stats("\\.rbac\\.", false).entrySet().stream()
        .filter(e -> e.getKey().endsWith("denied") && !e.getKey().endsWith("shadow_denied"))
        .mapToLong(e -> e.getValue())
        .sum();
  }

  /**
   * Revoking {@code allow edge -> catalog} in the running policy must stop the gateway's calls
   * promptly, including on the connection the gateway already holds to catalog's sidecar: an
   * authorization change that only applies to new connections would let an established caller keep
   * its access until Envoy happens to drain that connection (up to its drain time, 10 minutes by
   * default). Same bound as any other hot reload: applied within 2s of the ACK.
   */
  @Test
  @Order(3)
  void revokingTheAllowAppliesToTheGatewaysEstablishedConnection() {
    MeshStack.ok(
        Http.get(
            mesh.gatewayUrl("edge", "/catalog/warm"))); // edge now holds a connection to catalog
    mesh.updatePolicyAndAwaitAcked(MESH);
    awaitStatus(403, "after `allow edge -> catalog` was removed");
    mesh.updatePolicyAndAwaitAcked(POLICY);
    awaitStatus(200, "after `allow edge -> catalog` was restored");
  }

  private static void awaitStatus(int status, String when) {
    try {
      Wait.until(
          APPLY_WITHIN,
          "/catalog/items to answer " + status + " " + when,
          () -> Http.get(mesh.gatewayUrl("edge", "/catalog/items")).statusCode() == status);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; catalog's sidecar ACKed the change, yet the gateway's established connection still gets the old"
              + " answer. Catalog's sidecar: "
              + mesh.envoy("catalog")
                  .stats(
                      "listener_manager\\.(total_filter_chains_draining|listener_in_place_updated|total_listeners_draining)|downstream_cx_drain_close|rbac",
                      false),
          e);
    }
  }
}
