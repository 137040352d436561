package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.discovery.StaticCatalog;
import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.IssuedCertificate;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.XdsClientTls;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xDS security end to end over real loopback sockets: mutual TLS, a proxy served only the group its
 * certificate names, SDS secrets and their rotation, and the insecure development mode.
 */
class XdsSecurityTest {
  static final String SDS = Resources.V3.SECRET_TYPE_URL;
  static final List<String> SECRETS =
      List.of(IdentitySecrets.IDENTITY, IdentitySecrets.TRUST_BUNDLE);
  static final String POLICY =
      """
      gateway edge 8080 2 spiffe://meshgate.local/gateway/edge
      sidecar orders
      sidecar catalog
      endpoint 127.0.0.1 9101 v1
      """;

  @TempDir Path dir;
  @TempDir Path caDir;
  MeshgateServer server;
  Admin admin;
  final List<AutoCloseable> clients = new ArrayList<>();

  void start(ServerOptions options) throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), POLICY);
    var catalog = new StaticCatalog();
    server = MeshgateServer.start(options, catalog, Fixtures.FAKE_COMPILER, catalog);
    admin = new Admin(server.adminPort());
  }

  void start() throws Exception {
    start(ServerOptions.loopback(List.of(dir), caDir));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  XdsTestClient client(XdsClientTls credentials, String nodeId, String role, String name) {
    var client =
        new XdsTestClient(XdsTestClient.tls(server.xdsPort(), credentials), nodeId, role, name);
    clients.add(client);
    return client;
  }

  XdsTestClient sidecar(String credentialsOf, String nodeId, String claims) throws Exception {
    return client(
        ProxyCredentials.issue(caDir, sidecarGroup(credentialsOf)), nodeId, "sidecar", claims);
  }

  static ProxyGroup sidecarGroup(String name) {
    return new ProxyGroup(ProxyGroup.Role.SIDECAR, name);
  }

  @Test
  void aProxyGetsItsOwnGroupsResourcesAndSecretsOverMutualTls() throws Exception {
    start();
    XdsTestClient orders = sidecar("orders", "orders-1", "orders");
    orders.send(orders.request(SDS, SECRETS));
    DiscoveryResponse sds = orders.next();
    Map<String, Secret> secrets = secrets(sds);
    assertThat(secrets).containsOnlyKeys(SECRETS);

    X509Certificate leaf =
        firstCertificate(
            secrets
                .get(IdentitySecrets.IDENTITY)
                .getTlsCertificate()
                .getCertificateChain()
                .getInlineString());
    assertThat(ProxyAuthenticator.uriSans(leaf))
        .containsExactly("spiffe://meshgate.local/service/orders");
    assertThat(
            secrets
                .get(IdentitySecrets.IDENTITY)
                .getTlsCertificate()
                .getPrivateKey()
                .getInlineString())
        .startsWith("-----BEGIN PRIVATE KEY-----");
    CertificateAuthority ca = CertificateAuthority.load(caDir);
    assertThat(
            secrets
                .get(IdentitySecrets.TRUST_BUNDLE)
                .getValidationContext()
                .getTrustedCa()
                .getInlineString())
        .isEqualTo(ca.trustBundlePem());
    leaf.verify(ca.certificate().getPublicKey());
    orders.send(orders.ack(sds, SECRETS));

    JsonNode status =
        admin.awaitStatus(s ->
            s.get("proxies").size() == 1
                && s.at("/proxies/0/xds/secrets/ackedVersion")
                    .asText()
                    .equals(sds.getVersionInfo()));
    assertThat(status.at("/proxies/0/group").asText()).isEqualTo("sidecar:orders");
    assertThat(MeshgateServerTest.group(status, "sidecar:orders").at("/versions/secrets").asText())
        .isEqualTo(sds.getVersionInfo());
    assertThat(status.get("refused")).isEmpty();

    // The gateway has its own identity and still its clusters.
    XdsTestClient edge =
        client(
            ProxyCredentials.issue(caDir, ProxyGroup.gateway("edge")), "edge-1", "gateway", "edge");
    edge.send(edge.request(MeshgateServerTest.CDS, List.of()));
    assertThat(MeshgateServerTest.names(edge.next()))
        .containsExactlyInAnyOrder("catalog", "catalog.v1");
    edge.send(edge.request(SDS, SECRETS));
    X509Certificate edgeLeaf =
        firstCertificate(
            secrets(edge.next())
                .get(IdentitySecrets.IDENTITY)
                .getTlsCertificate()
                .getCertificateChain()
                .getInlineString());
    assertThat(ProxyAuthenticator.uriSans(edgeLeaf))
        .containsExactly("spiffe://meshgate.local/gateway/edge");
    assertThat(admin.metric("meshgate_xds_refused_total", "reason=\"group-mismatch\""))
        .isEqualTo(0.0);
  }

  @Test
  void aProxyClaimingAnotherGroupIsRefusedLoggedAndCounted() throws Exception {
    start();
    // orders' credential, asking for catalog's configuration and secrets.
    XdsTestClient thief = sidecar("orders", "orders-evil", "catalog");
    thief.send(thief.request(SDS, SECRETS));
    Status status = thief.awaitFailure();
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription())
        .contains("urn:meshgate:proxy:sidecar:orders")
        .contains("sidecar:catalog");

    assertThat(admin.metric("meshgate_xds_refused_total", "reason=\"group-mismatch\""))
        .isEqualTo(1.0);
    JsonNode refused = admin.status().get("refused");
    assertThat(refused).hasSize(1);
    assertThat(refused.at("/0/reason").asText()).isEqualTo("group-mismatch");
    assertThat(refused.at("/0/nodeId").asText()).isEqualTo("orders-evil");
    assertThat(refused.at("/0/claimedGroup").asText()).isEqualTo("sidecar:catalog");
    assertThat(refused.at("/0/certIdentity").asText())
        .isEqualTo("urn:meshgate:proxy:sidecar:orders");
    assertThat(refused.at("/0/peer").asText()).contains("127.0.0.1");
    assertThat(admin.status().get("proxies")).isEmpty();

    // The same over delta xDS, and claiming a gateway.
    XdsTestClient delta = sidecar("orders", "orders-delta", "orders");
    delta.sendDelta(
        DeltaDiscoveryRequest.newBuilder()
            .setNode(delta.node().toBuilder().setCluster("edge"))
            .setTypeUrl(MeshgateServerTest.CDS)
            .build());
    assertThat(delta.awaitFailure().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(admin.metric("meshgate_xds_refused_total", "reason=\"group-mismatch\""))
        .isEqualTo(2.0);
  }

  @Test
  void aNodeSwitchingGroupsMidStreamIsRefused() throws Exception {
    start();
    XdsTestClient orders = sidecar("orders", "orders-1", "orders");
    orders.send(orders.request(SDS, SECRETS));
    DiscoveryResponse sds = orders.next();
    orders.send(orders.ack(sds, SECRETS));
    orders.send(
        orders.request(SDS, SECRETS).toBuilder()
            .setNode(orders.node().toBuilder().setCluster("catalog"))
            .build());
    assertThat(orders.awaitFailure().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(admin.status().at("/refused/0/claimedGroup").asText()).isEqualTo("sidecar:catalog");
    // The stream the server ended is forgotten: not listed as a connected proxy, not pushed to.
    admin.awaitStatus(s -> s.at("/proxies").isEmpty());
  }

  @Test
  void aWorkloadCertificateIsNoXdsCredential() throws Exception {
    start();
    CertificateAuthority ca = CertificateAuthority.load(caDir);
    IssuedCertificate workload =
        ca.issueWorkload("spiffe://meshgate.local/service/orders", Duration.ofHours(1));
    XdsTestClient client =
        client(
            new XdsClientTls(ca.trustBundlePem(), workload.chainPem(), workload.keyPem()),
            "orders-1",
            "sidecar",
            "orders");
    client.send(client.request(SDS, SECRETS));
    assertThat(client.awaitFailure().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(admin.metric("meshgate_xds_refused_total", "reason=\"not-a-proxy-certificate\""))
        .isEqualTo(1.0);
    assertThat(admin.status().at("/refused/0/certIdentity").asText())
        .isEqualTo("spiffe://meshgate.local/service/orders");
  }

  @Test
  void withoutAClientCertificateFromOurCaThereIsNoConnection() throws Exception {
    start();
    CertificateAuthority ca = CertificateAuthority.load(caDir);
    // Trusts the server, presents nothing.
    var noCert =
        new XdsTestClient(
            io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress(
                    "127.0.0.1",
                    server.xdsPort(),
                    io.grpc.TlsChannelCredentials.newBuilder()
                        .trustManager(
                            new ByteArrayInputStream(
                                ca.trustBundlePem().getBytes(StandardCharsets.US_ASCII)))
                        .build())
                .build(),
            "edge-1",
            "gateway",
            "edge");
    clients.add(noCert);
    noCert.send(noCert.request(MeshgateServerTest.CDS, List.of()));
    assertThat(noCert.awaitFailure().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

    // A proper-looking credential from another CA.
    CertificateAuthority other =
        CertificateAuthority.loadOrCreate(dir.resolveSibling(dir.getFileName() + "-other-ca"));
    IssuedCertificate foreign =
        other.issueProxyClient("urn:meshgate:proxy:gateway:edge", Duration.ofHours(1));
    XdsTestClient impostor =
        client(
            new XdsClientTls(ca.trustBundlePem(), foreign.chainPem(), foreign.keyPem()),
            "edge-2",
            "gateway",
            "edge");
    impostor.send(impostor.request(MeshgateServerTest.CDS, List.of()));
    assertThat(impostor.awaitFailure().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

    // Plaintext.
    var plaintext = new XdsTestClient(server.xdsPort(), "edge-3", "edge");
    clients.add(plaintext);
    plaintext.send(plaintext.request(MeshgateServerTest.CDS, List.of()));
    assertThat(plaintext.awaitFailure().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(admin.status().get("proxies")).isEmpty();

    // Issue 9.8: each refused handshake is counted and shown. (A Java client does not even send
    // a certificate the server's CA list does not name, so all three end as "tls-handshake"
    // here; an Envoy sends its foreign certificate, which is then "untrusted-certificate".)
    var status =
        admin.awaitStatus(s -> {
          try {
            return admin.metric("meshgate_xds_refused_total", "reason=\"untrusted-certificate\"")
                    + admin.metric("meshgate_xds_refused_total", "reason=\"tls-handshake\"")
                >= 3;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
    assertThat(status.get("refused"))
        .anySatisfy(r ->
            assertThat(r.get("reason").asText()).isIn("tls-handshake", "untrusted-certificate"));
  }

  @Test
  void insecureXdsServesPlaintextToAnyone() throws Exception {
    start(ServerOptions.loopback(List.of(dir), caDir).withInsecureXds(true));
    var plaintext = new XdsTestClient(server.xdsPort(), "edge-1", "edge");
    clients.add(plaintext);
    plaintext.send(plaintext.request(MeshgateServerTest.CDS, List.of()));
    assertThat(MeshgateServerTest.names(plaintext.next()))
        .containsExactlyInAnyOrder("catalog", "catalog.v1");
    // Secrets still exist (the mesh's own mTLS does not depend on how xDS is served).
    plaintext.send(plaintext.request(SDS, SECRETS));
    assertThat(secrets(plaintext.next())).containsOnlyKeys(SECRETS);

    XdsTestClient tls =
        client(
            ProxyCredentials.issue(caDir, ProxyGroup.gateway("edge")), "edge-2", "gateway", "edge");
    tls.send(tls.request(MeshgateServerTest.CDS, List.of()));
    assertThat(tls.awaitFailure().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void workloadCertificatesRotateAtHalfLifeOverTheOpenStream() throws Exception {
    start(ServerOptions.loopback(List.of(dir), caDir).withCertTtl(Duration.ofSeconds(4)));
    XdsTestClient orders = sidecar("orders", "orders-1", "orders");
    orders.send(orders.request(SDS, SECRETS));
    DiscoveryResponse first = orders.next();
    orders.send(orders.ack(first, SECRETS));
    X509Certificate firstLeaf = identity(first);
    assertThat(
            Duration.between(
                firstLeaf.getNotBefore().toInstant(), firstLeaf.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofSeconds(4).plusMinutes(1));

    DiscoveryResponse second = orders.next(Duration.ofSeconds(6)); // pushed at about 2s
    X509Certificate secondLeaf = identity(second);
    assertThat(second.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
    assertThat(secondLeaf.getSerialNumber()).isNotEqualTo(firstLeaf.getSerialNumber());
    assertThat(ProxyAuthenticator.uriSans(secondLeaf))
        .containsExactly("spiffe://meshgate.local/service/orders");
    assertThat(secondLeaf.getNotAfter()).isAfter(firstLeaf.getNotAfter());
    // The trust bundle did not change; only the identity did.
    assertThat(secrets(second).get(IdentitySecrets.TRUST_BUNDLE))
        .isEqualTo(secrets(first).get(IdentitySecrets.TRUST_BUNDLE));
    orders.send(orders.ack(second, SECRETS));
    admin.awaitStatus(s ->
        MeshgateServerTest.group(s, "sidecar:orders")
            .at("/versions/secrets")
            .asText()
            .equals(second.getVersionInfo()));
  }

  @Test
  void identitySecretsAreVersionedByContentAndRotatedOnDemand() {
    CertificateAuthority ca;
    try {
      ca = CertificateAuthority.loadOrCreate(caDir);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    IdentitySecrets secrets = new IdentitySecrets(ca, Duration.ofHours(24), Clock.systemUTC());
    var a = secrets.secrets("sidecar:orders", java.util.Optional.of("spiffe://td/service/orders"));
    var again =
        secrets.secrets("sidecar:orders", java.util.Optional.of("spiffe://td/service/orders"));
    assertThat(again.version()).isEqualTo(a.version());
    assertThat(a.byName()).containsOnlyKeys(SECRETS);
    secrets.rotate("sidecar:orders");
    var rotated =
        secrets.secrets("sidecar:orders", java.util.Optional.of("spiffe://td/service/orders"));
    assertThat(rotated.version()).isNotEqualTo(a.version());
    assertThat(rotated.versions().get(IdentitySecrets.TRUST_BUNDLE))
        .isEqualTo(a.versions().get(IdentitySecrets.TRUST_BUNDLE));
    var renamed =
        secrets.secrets("sidecar:orders", java.util.Optional.of("spiffe://other/service/orders"));
    assertThat(renamed.version()).isNotEqualTo(rotated.version());
    assertThat(secrets.secrets("gateway:edge", java.util.Optional.empty()).byName()).isEmpty();
    assertThat(secrets.rotateAt("sidecar:orders")).isPresent();
    assertThat(secrets.rotateAt("gateway:edge")).isEmpty();
  }

  static Map<String, Secret> secrets(DiscoveryResponse response) {
    assertThat(response.getTypeUrl()).isEqualTo(SDS);
    Map<String, Secret> byName = new TreeMap<>();
    response
        .getResourcesList()
        .forEach(a -> {
          Secret s = MeshgateServerTest.unpack(a, Secret.class);
          byName.put(s.getName(), s);
        });
    return byName;
  }

  static X509Certificate identity(DiscoveryResponse response) throws Exception {
    return firstCertificate(
        secrets(response)
            .get(IdentitySecrets.IDENTITY)
            .getTlsCertificate()
            .getCertificateChain()
            .getInlineString());
  }

  static X509Certificate firstCertificate(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
