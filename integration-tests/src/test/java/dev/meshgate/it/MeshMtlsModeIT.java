package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * {@code mtls strict}: a caller without a sidecar (plaintext, or TLS without a client certificate)
 * straight to catalog's mesh port gets no answer, and catalog's app never sees it. Then the policy
 * switches to {@code mtls permissive} on the running mesh: plaintext callers and mTLS callers are
 * both served, and a plaintext caller cannot pass itself off as a mesh identity. The methods run in
 * order.
 */
@ExtendWith(PrintLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshMtlsModeIT {
  private static final String POLICY =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls ${mode}
        authz default allow
      }
      """
          + MeshStack.service("orders")
          + MeshStack.service("catalog")
          + """
          call orders -> catalog { timeout 2s }
          """;

  @TempDir static Path work;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    mesh =
        MeshStack.start(
            work, POLICY.replace("${mode}", "strict"), List.of("orders", "catalog"), List.of());
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
  void strictRefusesPlaintextStraightToTheMeshPort() {
    mesh.app("catalog").reset();
    RawClient.Outcome outcome =
        RawClient.plaintextGet(mesh.member("catalog").inbound(), "catalog", "/plain");
    assertThat(outcome.answered200()).as("plaintext to catalog's mesh port: %s", outcome).isFalse();
    assertThat(outcome.statusLine()).as("no HTTP answer at all: %s", outcome).isEmpty();
    assertThat(mesh.app("catalog").requests()).isZero();
  }

  @Test
  @Order(2)
  void strictRefusesTlsWithoutAClientCertificate() {
    mesh.app("catalog").reset();
    RawClient.Outcome outcome =
        RawClient.tlsGetWithoutClientCertificate(
            mesh.member("catalog").inbound(), "catalog", "/tls-anonymous");
    assertThat(outcome.statusLine()).as("TLS without a client certificate: %s", outcome).isEmpty();
    assertThat(mesh.app("catalog").requests()).isZero();
    // The mesh port itself proves who it is: catalog's SPIFFE ID, from the built-in CA.
    assertThat(outcome.serverUriSans())
        .as("server certificate URI SANs")
        .contains(mesh.member("catalog").spiffeId());
  }

  @Test
  @Order(3)
  void strictServesTheMeshCaller() {
    JsonNode echo = MeshStack.ok(mesh.call("orders", "catalog", "GET", "/via-sidecar"));
    assertThat(echo.path("headers").path("x-forwarded-client-cert").asText())
        .contains("URI=" + mesh.member("orders").spiffeId());
  }

  @Test
  @Order(4)
  void permissiveServesPlaintextAndMutualTlsCallers() {
    mesh.updatePolicyAndAwaitAcked(POLICY.replace("${mode}", "permissive"));
    // A listener change: it applies to new connections, which is what a new caller makes.
    RawClient.Outcome plaintext =
        Wait.until(
            Duration.ofSeconds(2),
            "catalog's mesh port to answer plaintext after the switch to permissive",
            () -> {
              RawClient.Outcome o =
                  RawClient.plaintextGet(mesh.member("catalog").inbound(), "catalog", "/plain");
              return o.answered200() ? Optional.of(o) : Optional.empty();
            });
    assertThat(plaintext.statusLine()).isPresent();

    JsonNode viaPlaintext =
        MeshStack.ok(Http.get(mesh.member("catalog").inboundUrl("/plain"), "Host", "catalog"));
    assertThat(viaPlaintext.path("backend").asText()).isEqualTo("catalog");
    assertThat(viaPlaintext.path("headers").has("x-forwarded-client-cert"))
        .as("a plaintext caller has no identity to forward: %s", viaPlaintext)
        .isFalse();

    JsonNode viaMesh = MeshStack.ok(mesh.call("orders", "catalog", "GET", "/via-sidecar"));
    assertThat(viaMesh.path("headers").path("x-forwarded-client-cert").asText())
        .as("the mTLS caller is still identified")
        .contains("URI=" + mesh.member("orders").spiffeId());
    assertThat(mesh.envoy("orders").stat("cluster.catalog.ssl.handshake").orElse(0)).isPositive();
  }

  @Test
  @Order(5)
  void permissivePlaintextCallerCannotClaimAMeshIdentity() {
    JsonNode echo =
        MeshStack.ok(
            Http.get(
                mesh.member("catalog").inboundUrl("/spoof"),
                "Host",
                "catalog",
                "x-forwarded-client-cert",
                "By="
                    + mesh.member("catalog").spiffeId()
                    + ";URI="
                    + mesh.member("orders").spiffeId()));
    assertThat(echo.path("headers").path("x-forwarded-client-cert").asText(""))
        .as("x-forwarded-client-cert sent by a plaintext caller")
        .doesNotContain(mesh.member("orders").spiffeId());
  }
}
