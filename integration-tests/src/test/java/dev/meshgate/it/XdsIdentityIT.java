package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.XdsClientTls;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * meshgate trusts no one by default: a proxy holding orders' credential is served orders' config
 * and secret, and nothing at all when it claims to be catalog (or anyone else), over either ADS
 * protocol; the refusal is counted in /metrics and logged. Callers with no client certificate or no
 * TLS do not get a stream. A raw gRPC client plays the proxy, so the test controls exactly what is
 * claimed and with which certificate; the running sidecars show the same credentials work for the
 * real thing.
 */
@ExtendWith(PrintLogsOnFailure.class)
class XdsIdentityIT {
  private static final Duration WAIT = Duration.ofSeconds(5);

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
  static XdsClientTls ordersCredential;

  @BeforeAll
  static void start() throws IOException {
    mesh = MeshStack.start(work, POLICY, List.of("orders", "catalog"), List.of());
    ordersCredential =
        ProxyCredentials.issue(
            mesh.meshgate().caDir(), new ProxyGroup(ProxyGroup.Role.SIDECAR, "orders"));
  }

  @AfterEach
  void envoysRejectedNothing() {
    mesh.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(mesh);
  }

  private static AdsClient asOrders() {
    return AdsClient.tls(
        mesh.meshgate().xdsPort(),
        ordersCredential.caPem(),
        ordersCredential.certPem(),
        ordersCredential.keyPem());
  }

  @Test
  void ordersCredentialGetsOrdersConfigAndOrdersSecret() {
    try (AdsClient client = asOrders()) {
      AdsClient.Outcome clusters =
          client.sotw(
              AdsClient.node("it-orders-own", "sidecar", "orders"),
              AdsClient.CLUSTERS,
              List.of(),
              WAIT);
      assertThat(clusters.responses())
          .as("CDS for orders with orders' credential: %s", clusters)
          .hasSize(1);
      assertThat(AdsClient.resourceNames(clusters.responses().getFirst()))
          .contains("catalog")
          .doesNotContain("catalog.app");

      AdsClient.Outcome secrets =
          client.sotw(
              AdsClient.node("it-orders-own-sds", "sidecar", "orders"),
              AdsClient.SECRETS,
              List.of("meshgate.identity"),
              WAIT);
      assertThat(secrets.responses())
          .as("SDS for orders with orders' credential: %s", secrets)
          .hasSize(1);
      List<X509Certificate> certs =
          AdsClient.certificates((DiscoveryResponse) secrets.responses().getFirst());
      assertThat(certs).hasSize(1);
      assertThat(RawClient.uriSans(certs.getFirst()))
          .containsExactly(mesh.member("orders").spiffeId());
    }
  }

  @Test
  void ordersCredentialClaimingCatalogGetsNoConfigAndNoSecret() {
    double refusedBefore = mesh.meshgate().metricSum("meshgate_xds_refused_total");
    try (AdsClient client = asOrders()) {
      for (String type : List.of(AdsClient.CLUSTERS, AdsClient.LISTENERS, AdsClient.SECRETS)) {
        AdsClient.Outcome sotw =
            client.sotw(
                AdsClient.node("it-impostor-" + type.hashCode(), "sidecar", "catalog"),
                type,
                type.equals(AdsClient.SECRETS)
                    ? List.of("meshgate.identity", "meshgate.trust-bundle")
                    : List.of(),
                WAIT);
        assertThat(sotw.refusedWith(Status.Code.PERMISSION_DENIED))
            .as("state-of-the-world %s as sidecar:catalog with orders' credential: %s", type, sotw)
            .isTrue();
      }
      AdsClient.Outcome delta =
          client.delta(
              AdsClient.node("it-impostor-delta", "sidecar", "catalog"),
              AdsClient.SECRETS,
              List.of("meshgate.identity"),
              WAIT);
      assertThat(delta.refusedWith(Status.Code.PERMISSION_DENIED))
          .as("delta SDS as sidecar:catalog with orders' credential: %s", delta)
          .isTrue();
    }
    Wait.until(
        Duration.ofSeconds(5),
        "meshgate_xds_refused_total to count 4 more refusals",
        () -> mesh.meshgate().metricSum("meshgate_xds_refused_total") >= refusedBefore + 4);
    assertThat(mesh.meshgate().logText().lines())
        .as("meshgate's log")
        .anySatisfy(line ->
            assertThat(line).contains("WARN").contains("refused").contains("it-impostor-delta"));
    // /status lists the refusal with what was claimed and what the certificate says.
    JsonNode refusal =
        StreamSupport.stream(mesh.meshgate().status().path("refused").spliterator(), false)
            .filter(r -> r.path("nodeId").asText().equals("it-impostor-delta"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no refusal of it-impostor-delta in /status"));
    assertThat(refusal.path("claimedGroup").asText()).isEqualTo("sidecar:catalog");
    assertThat(refusal.path("reason").asText()).isEqualTo("group-mismatch");
    assertThat(refusal.path("certIdentity").asText()).contains("urn:meshgate:proxy:sidecar:orders");
    // The impostor never shows up as a connected proxy.
    assertThat(XdsStatus.proxy(mesh.meshgate().status(), "it-impostor-delta")).isEmpty();
  }

  @Test
  void ordersCredentialCannotClaimAnotherRoleEither() {
    try (AdsClient client = asOrders()) {
      AdsClient.Outcome asGateway =
          client.sotw(
              AdsClient.node("it-impostor-gw", "gateway", "orders"),
              AdsClient.CLUSTERS,
              List.of(),
              WAIT);
      assertThat(asGateway.refusedWith(Status.Code.PERMISSION_DENIED))
          .as("as gateway:orders: %s", asGateway)
          .isTrue();
    }
  }

  @Test
  void noClientCertificateNoStream() {
    try (AdsClient client =
        AdsClient.tlsWithoutClientCertificate(
            mesh.meshgate().xdsPort(), ordersCredential.caPem())) {
      AdsClient.Outcome outcome =
          client.sotw(
              AdsClient.node("it-anonymous", "sidecar", "orders"),
              AdsClient.CLUSTERS,
              List.of(),
              WAIT);
      assertThat(outcome.responses()).as("%s", outcome).isEmpty();
      assertThat(outcome.error()).as("%s", outcome).isPresent();
      assertThat(outcome.error().orElseThrow().getCode()).isNotEqualTo(Status.Code.OK);
    }
  }

  @Test
  void plaintextIsRefusedWithoutTheDevelopmentFlag() {
    try (AdsClient client = AdsClient.plaintext(mesh.meshgate().xdsPort())) {
      AdsClient.Outcome outcome =
          client.sotw(
              AdsClient.node("it-plaintext", "sidecar", "orders"),
              AdsClient.CLUSTERS,
              List.of(),
              WAIT);
      assertThat(outcome.responses()).as("%s", outcome).isEmpty();
      assertThat(outcome.error()).as("%s", outcome).isPresent();
      assertThat(outcome.error().orElseThrow().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void theRealSidecarsGetTheirConfigOverMutualTls() {
    mesh.envoy("orders").assertXdsOverTls();
    mesh.envoy("catalog").assertXdsOverTls();
  }

  @Test
  void theRealSidecarsHoldOnlyTheirOwnIdentity() {
    assertThat(mesh.envoy("orders").servedCertSerials(mesh.member("catalog").spiffeId())).isEmpty();
    assertThat(mesh.envoy("orders").servedCertSerials(mesh.member("orders").spiffeId()))
        .isNotEmpty();
    assertThat(mesh.envoy("catalog").servedCertSerials(mesh.member("orders").spiffeId())).isEmpty();
    assertThat(mesh.envoy("catalog").servedCertSerials(mesh.member("catalog").spiffeId()))
        .isNotEmpty();
  }
}
