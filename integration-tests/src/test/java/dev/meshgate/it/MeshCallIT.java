package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * orders calls catalog the way an app in the mesh does: plain HTTP to its own sidecar's outbound
 * port with {@code Host: catalog}; the two sidecars carry it over mTLS, and catalog's app learns
 * who called from {@code x-forwarded-client-cert}. The {@code call} declaration's retry and timeout
 * apply on the caller's side.
 */
@ExtendWith(PrintLogsOnFailure.class)
class MeshCallIT {
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
          call orders -> catalog { timeout 1s  retry 2 on 5xx per-try 300ms }
          """;

  @TempDir static Path work;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    mesh = MeshStack.start(work, POLICY, List.of("orders", "catalog"), List.of());
  }

  @BeforeEach
  void resetApps() {
    mesh.app("orders").reset();
    mesh.app("catalog").reset();
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
  void ordersReachesCatalogThroughBothSidecarsAndCatalogSeesWhoCalled() {
    JsonNode echo = MeshStack.ok(mesh.call("orders", "catalog", "GET", "/items/7?sort=asc"));
    assertThat(echo.path("backend").asText()).isEqualTo("catalog");
    assertThat(echo.path("path").asText()).isEqualTo("/items/7");
    assertThat(echo.path("query").asText()).isEqualTo("sort=asc");
    String xfcc = echo.path("headers").path("x-forwarded-client-cert").asText();
    assertThat(xfcc)
        .as("x-forwarded-client-cert seen by catalog's app")
        .contains("URI=" + mesh.member("orders").spiffeId())
        .contains("By=" + mesh.member("catalog").spiffeId());
    assertThat(mesh.app("catalog").requests()).isEqualTo(1);
    assertThat(mesh.app("orders").requests()).isZero();
  }

  @Test
  void theHopBetweenTheSidecarsIsMutualTls() {
    MeshStack.ok(mesh.call("orders", "catalog", "GET", "/tls"));
    EnvoyProcess orders = mesh.envoy("orders");
    EnvoyProcess catalog = mesh.envoy("catalog");
    // orders' sidecar originated TLS to catalog and verified catalog's SPIFFE ID ...
    assertThat(orders.stat("cluster.catalog.ssl.handshake").orElse(0))
        .as("TLS handshakes orders -> catalog")
        .isPositive();
    assertThat(orders.stat("cluster.catalog.ssl.fail_verify_san").orElse(0)).isZero();
    assertThat(orders.stat("cluster.catalog.ssl.fail_verify_error").orElse(0)).isZero();
    // ... and catalog's sidecar terminated it on its mesh port, with a client certificate.
    // (Only the inbound listener has TLS stats: the outbound one is plaintext on loopback.)
    Map<String, Long> listenerTls =
        catalog.stats("^listener\\..*\\.ssl\\.(handshake|no_certificate)$", false);
    assertThat(sum(listenerTls, ".ssl.handshake"))
        .as("TLS handshakes on catalog's listeners: %s", listenerTls)
        .isPositive();
    assertThat(sum(listenerTls, ".ssl.no_certificate"))
        .as("handshakes without a client certificate")
        .isZero();
    // Each sidecar presents its own SPIFFE identity, from SDS.
    assertThat(orders.servedCertSerials(mesh.member("orders").spiffeId())).isNotEmpty();
    assertThat(catalog.servedCertSerials(mesh.member("catalog").spiffeId())).isNotEmpty();
    assertThat(catalog.dynamicSecretNames()).contains("meshgate.identity", "meshgate.trust-bundle");
  }

  private static long sum(Map<String, Long> stats, String suffix) {
    return stats.entrySet().stream()
        .filter(e -> e.getKey().endsWith(suffix))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  @Test
  void anIdentityClaimedByTheCallingAppIsNotBelieved() {
    JsonNode echo =
        MeshStack.ok(
            mesh.call(
                "orders",
                "catalog",
                "GET",
                "/spoof",
                "x-forwarded-client-cert",
                "By=spiffe://shop.example/service/catalog;URI=spiffe://shop.example/service/admin"));
    String xfcc = echo.path("headers").path("x-forwarded-client-cert").asText();
    assertThat(xfcc)
        .doesNotContain("/service/admin")
        .contains("URI=" + mesh.member("orders").spiffeId());
  }

  @Test
  void callDeclarationRetriesOnTheCallersSide() {
    mesh.app("catalog").failNext(2, 503);
    HttpResponse<String> response = mesh.call("orders", "catalog", "GET", "/flaky");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(mesh.app("catalog").requests()).as("1 try + 2 retries").isEqualTo(3);
  }

  @Test
  void callDeclarationTimeoutAppliesOnTheCallersSide() {
    mesh.app("catalog").delay(Duration.ofMillis(1500));
    long start = System.nanoTime();
    HttpResponse<String> response = mesh.call("orders", "catalog", "GET", "/slow");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
    assertThat(millis)
        .as("ms until orders got its answer (timeout 1s; the app takes 1.5s)")
        .isBetween(800L, 2000L);
  }
}
