package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workload certificates are short-lived and rotated at half their life over SDS: with a TTL of
 * {@value #TTL}, the certificate each sidecar serves gets a new serial every ten seconds or so,
 * again and again, while orders keeps calling catalog through both sidecars without a single
 * failure, and without any Envoy restarting or reconnecting.
 *
 * <p>Why not the "couple of minutes": meshgate accepts TTLs down to 2s, and the mechanism
 * under test (rotate at half life, push over SDS, Envoy swaps the certificate in place) is the same
 * at any TTL; 20s keeps a 10s margin between rotation and expiry, ample for a loaded CI machine,
 * and observes two rotations in ~25s instead of one in ~60s.
 */
@ExtendWith(PrintLogsOnFailure.class)
class CertRotationIT {
  /** Rotation comes at half of it. */
  static final String TTL = "20s";

  /** Half the TTL, plus slack for a busy machine. */
  private static final Duration ROTATION_DEADLINE = Duration.ofSeconds(25);

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
          """;

  @TempDir static Path work;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    mesh =
        MeshStack.start(work, POLICY, List.of("orders", "catalog"), List.of(), "--cert-ttl", TTL);
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(mesh);
  }

  @Test
  void servedCertificatesChangeWhileTrafficKeepsFlowing() {
    String catalogId = mesh.member("catalog").spiffeId();
    String ordersId = mesh.member("orders").spiffeId();
    EnvoyProcess catalog = mesh.envoy("catalog");
    EnvoyProcess orders = mesh.envoy("orders");
    SortedSet<String> catalogBefore = catalog.servedCertSerials(catalogId);
    SortedSet<String> ordersBefore = orders.servedCertSerials(ordersId);
    assertThat(catalogBefore).as("catalog's served certificate serials").isNotEmpty();
    assertThat(ordersBefore).as("orders' served certificate serials").isNotEmpty();
    long catalogPid = catalog.pid();
    long ordersPid = orders.pid();
    String catalogConnectedAt = connectedAt(catalog);
    String ordersConnectedAt = connectedAt(orders);
    String expiresBefore =
        catalog.servedCerts(catalogId).getFirst().path("expiration_time").asText();

    long started = System.nanoTime();
    try (Traffic traffic =
        Traffic.start(
            mesh.outboundUrl("orders", "/rotation"),
            "catalog",
            Duration.ofMillis(100),
            ROTATION_DEADLINE.multipliedBy(3),
            "Host",
            "catalog")) {
      String catalogFirst =
          awaitNewCert(catalog, catalogId, catalogBefore).path("serial_number").asText();
      System.out.printf(
          "CertRotationIT: catalog's certificate rotated after %d ms (%s -> %s)%n",
          (System.nanoTime() - started) / 1_000_000, catalogBefore, catalogFirst);
      awaitNewCert(orders, ordersId, ordersBefore);
      // And again: rotation is a schedule, not a one-off.
      SortedSet<String> seen = new TreeSet<>(catalogBefore);
      seen.add(catalogFirst);
      JsonNode catalogNew = awaitNewCert(catalog, catalogId, seen);
      System.out.printf(
          "CertRotationIT: catalog's certificate rotated again after %d ms (-> %s)%n",
          (System.nanoTime() - started) / 1_000_000, catalogNew.path("serial_number").asText());
      assertThat(catalogNew.path("expiration_time").asText())
          .as("expiry of the new certificate")
          .isGreaterThan(expiresBefore);
      // Traffic over fresh connections with the new certificates, too.
      Wait.sleep(Duration.ofSeconds(2));
      traffic.stop();
      assertThat(traffic.failures())
          .as("failed requests orders -> catalog during rotation")
          .isEmpty();
      assertThat(traffic.succeeded()).as("requests served during rotation").isGreaterThan(100);
    }
    // Rotation happened over SDS on the same streams: no restart, no reconnect.
    assertThat(catalog.pid()).isEqualTo(catalogPid);
    assertThat(orders.pid()).isEqualTo(ordersPid);
    assertThat(catalog.serverInfo().path("command_line_options").path("restart_epoch").asInt())
        .isZero();
    assertThat(connectedAt(catalog)).isEqualTo(catalogConnectedAt);
    assertThat(connectedAt(orders)).isEqualTo(ordersConnectedAt);
    // And after the rotations a call still proves orders' identity to catalog.
    JsonNode echo = MeshStack.ok(mesh.call("orders", "catalog", "GET", "/after"));
    assertThat(echo.path("headers").path("x-forwarded-client-cert").asText())
        .contains("URI=" + ordersId);
    mesh.assertNothingRejected();
  }

  /**
   * Waits until {@code envoy} serves a certificate for {@code uri} with a serial not in {@code
   * known}.
   */
  private static JsonNode awaitNewCert(EnvoyProcess envoy, String uri, SortedSet<String> known) {
    return Wait.until(
        ROTATION_DEADLINE,
        "a new serial in the certificates "
            + envoy.nodeId()
            + " serves for "
            + uri
            + " (known: "
            + known
            + ")",
        () ->
            envoy.servedCerts(uri).stream()
                .filter(c -> !known.contains(c.path("serial_number").asText()))
                .findFirst());
  }

  private static String connectedAt(EnvoyProcess envoy) {
    JsonNode proxy = XdsStatus.proxy(mesh.meshgate().status(), envoy.nodeId()).orElseThrow();
    return proxy.path("connectedAt").asText();
  }
}
