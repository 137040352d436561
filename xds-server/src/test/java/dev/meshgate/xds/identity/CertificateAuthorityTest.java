package dev.meshgate.xds.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.compiler.ProxyGroup;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private static final int URI = 6;
  private static final int IP = 7;
  private static final int DNS = 2;

  @TempDir Path dir;

  @Test
  void generatesARootOnFirstUseAndPersistsItPrivately() throws Exception {
    Path caDir = dir.resolve("nested/ca");
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(caDir);
    assertThat(ca.created()).isTrue();
    assertThat(caDir.resolve("ca.crt")).exists();
    assertThat(caDir.resolve("ca.key")).exists();
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve("ca.key"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir)))
        .isEqualTo("rwx------");
    assertThat(Files.readString(caDir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");

    X509Certificate root = ca.certificate();
    assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
    assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.trustAnchors()).containsExactly(root);
    assertThat(Duration.between(Instant.now(), root.getNotAfter().toInstant()))
        .isGreaterThan(CertificateAuthority.ROOT_VALIDITY.minusDays(1));

    CertificateAuthority again = CertificateAuthority.loadOrCreate(caDir);
    assertThat(again.created()).isFalse();
    assertThat(again.certificate()).isEqualTo(root);
    assertThat(again.trustBundlePem())
        .isEqualTo(ca.trustBundlePem())
        .isEqualTo(Files.readString(caDir.resolve("ca.crt")));
    // A leaf from the reloaded CA verifies against the first one's root: same key.
    verify(
        again.issueWorkload("spiffe://meshgate.local/service/a", Duration.ofHours(1)),
        ca.trustAnchors());
  }

  @Test
  void loadNeverCreates() {
    assertThatThrownBy(() -> CertificateAuthority.load(dir.resolve("none")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void halfACaIsAnError() throws Exception {
    Path caDir = dir.resolve("ca");
    CertificateAuthority.loadOrCreate(caDir);
    Files.delete(caDir.resolve("ca.key"));
    assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(caDir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("has ca.crt but no ca.key");
  }

  @Test
  void aKeyThatDoesNotMatchIsAnError() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    CertificateAuthority.loadOrCreate(a);
    CertificateAuthority.loadOrCreate(b);
    Files.copy(
        b.resolve("ca.key"),
        a.resolve("ca.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> CertificateAuthority.load(a))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not the private key of the first certificate");
  }

  @Test
  void aLeafIsNotACa() throws Exception {
    CertificateAuthority ca = CertificateAuthority.generate(Clock.systemUTC());
    IssuedCertificate leaf = ca.issueWorkload("spiffe://td/service/x", Duration.ofHours(1));
    Path caDir = Files.createDirectories(dir.resolve("leaf"));
    Files.writeString(caDir.resolve("ca.crt"), leaf.chainPem());
    Files.writeString(caDir.resolve("ca.key"), leaf.keyPem());
    assertThatThrownBy(() -> CertificateAuthority.load(caDir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not a CA certificate");
  }

  @Test
  void bringYourOwnRootInOpenSslKeyFormat() throws Exception {
    KeyPair pair = ecKeyPair();
    X509Certificate root = caCertificate("CN=Our Root", pair, "CN=Our Root", pair);
    Path caDir = Files.createDirectories(dir.resolve("byo"));
    Files.writeString(caDir.resolve("ca.crt"), Pem.certificates(List.of(root)));
    // "BEGIN EC PRIVATE KEY", as `openssl ecparam -genkey` writes it.
    Files.writeString(caDir.resolve("ca.key"), ecPrivateKeyPem(pair));
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(caDir);
    assertThat(ca.created()).isFalse();
    assertThat(ca.certificate()).isEqualTo(root);
    IssuedCertificate leaf =
        ca.issueWorkload("spiffe://shop.example/service/catalog", Duration.ofHours(1));
    assertThat(leaf.chain()).hasSize(1);
    verify(leaf, List.of(root));
  }

  @Test
  void bringYourOwnIntermediate() throws Exception {
    KeyPair rootKey = ecKeyPair();
    X509Certificate root = caCertificate("CN=Corp Root", rootKey, "CN=Corp Root", rootKey);
    KeyPair intermediateKey = ecKeyPair();
    X509Certificate intermediate =
        caCertificate("CN=Mesh Intermediate", intermediateKey, "CN=Corp Root", rootKey);
    Path caDir = Files.createDirectories(dir.resolve("intermediate"));
    Files.writeString(caDir.resolve("ca.crt"), Pem.certificates(List.of(intermediate, root)));
    Files.writeString(caDir.resolve("ca.key"), Pem.privateKey(intermediateKey.getPrivate()));

    CertificateAuthority ca = CertificateAuthority.load(caDir);
    assertThat(ca.certificate()).isEqualTo(intermediate);
    assertThat(ca.trustAnchors()).containsExactly(root);
    assertThat(ca.trustBundlePem()).isEqualTo(Pem.certificates(List.of(root)));
    IssuedCertificate leaf =
        ca.issueProxyClient("urn:meshgate:proxy:sidecar:orders", Duration.ofDays(1));
    assertThat(leaf.chain()).containsExactly(leaf.certificate(), intermediate);
    assertThat(Pem.parseCertificates(leaf.chainPem(), "chain"))
        .containsExactly(leaf.certificate(), intermediate);
    verify(leaf, List.of(root));
  }

  @Test
  void workloadCertificatesCarryTheSpiffeIdAndTheTtl() throws Exception {
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    CertificateAuthority ca = CertificateAuthority.generate(Clock.fixed(now, ZoneOffset.UTC));
    IssuedCertificate cert =
        ca.issueWorkload("spiffe://shop.example/service/catalog", Duration.ofHours(24));
    assertThat(sans(cert.certificate(), URI))
        .containsExactly("spiffe://shop.example/service/catalog");
    assertThat(sans(cert.certificate(), DNS)).isEmpty();
    assertThat(cert.notAfter()).isEqualTo(now.plus(Duration.ofHours(24)));
    assertThat(cert.notBefore()).isEqualTo(now.minus(CertificateAuthority.BACKDATE));
    assertThat(cert.certificate().getExtendedKeyUsage())
        .containsExactlyInAnyOrder(
            "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // server and client auth
    assertThat(cert.certificate().getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(cert.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(cert.toString()).doesNotContain("PRIVATE").contains("(hidden)");
    verify(cert, ca.trustAnchors(), now);
  }

  @Test
  void proxyClientAndServerCertificatesNameWhatTheyAre() throws Exception {
    CertificateAuthority ca = CertificateAuthority.generate(Clock.systemUTC());
    IssuedCertificate proxy =
        ca.issueProxyClient(
            ProxyIdentity.uri(new ProxyGroup(ProxyGroup.Role.SIDECAR, "orders")),
            ProxyCredentials.DEFAULT_TTL);
    assertThat(sans(proxy.certificate(), URI)).containsExactly("urn:meshgate:proxy:sidecar:orders");
    assertThat(proxy.certificate().getExtendedKeyUsage())
        .containsExactly("1.3.6.1.5.5.7.3.2"); // client only
    assertThat(Duration.between(proxy.notBefore(), proxy.notAfter()))
        .isEqualTo(Duration.ofDays(365).plus(CertificateAuthority.BACKDATE));

    IssuedCertificate server =
        ca.issueServer(List.of("127.0.0.1", "::1", "localhost", "10.1.2.3"), Duration.ofDays(30));
    assertThat(sans(server.certificate(), URI)).containsExactly("urn:meshgate:xds-server");
    assertThat(sans(server.certificate(), IP))
        .containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1", "10.1.2.3");
    assertThat(sans(server.certificate(), DNS)).containsExactly("localhost");
    assertThat(server.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");

    assertThatThrownBy(() -> ca.issueProxyClient("spiffe://x/service/y", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ca.issueWorkload("urn:meshgate:proxy:gateway:edge", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serialsAreRandomAndLeavesNeverOutliveTheCa() {
    CertificateAuthority ca = CertificateAuthority.generate(Clock.systemUTC());
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      BigInteger serial = ca.issueWorkload("spiffe://td/service/a", Duration.ofMinutes(5)).serial();
      assertThat(serial.signum()).isPositive();
      assertThat(serial.bitLength()).isLessThanOrEqualTo(159);
      serials.add(serial);
    }
    assertThat(serials).hasSize(20);
    IssuedCertificate long_ = ca.issueWorkload("spiffe://td/service/a", Duration.ofDays(365 * 20));
    assertThat(long_.notAfter()).isEqualTo(ca.certificate().getNotAfter().toInstant());
  }

  @Test
  void proxyCredentialsAreIssuedFromTheCaDirectory() throws Exception {
    Path caDir = dir.resolve("ca");
    XdsClientTls tls = ProxyCredentials.issue(caDir, ProxyGroup.gateway("edge"));
    CertificateAuthority ca = CertificateAuthority.load(caDir);
    assertThat(tls.caPem()).isEqualTo(ca.trustBundlePem());
    List<X509Certificate> chain = Pem.parseCertificates(tls.certPem(), "cert");
    assertThat(sans(chain.getFirst(), URI)).containsExactly("urn:meshgate:proxy:gateway:edge");
    assertThat(Pem.parsePrivateKey(tls.keyPem(), "key").getAlgorithm()).isEqualTo("EC");
    assertThat(tls.toString()).doesNotContain("BEGIN").contains("(hidden)");
    verify(
        new IssuedCertificate(chain, Pem.parsePrivateKey(tls.keyPem(), "key")), ca.trustAnchors());
  }

  @Test
  void proxyUrisRoundTrip() {
    assertThat(ProxyIdentity.uri(ProxyGroup.gateway("edge")))
        .isEqualTo("urn:meshgate:proxy:gateway:edge");
    assertThat(ProxyIdentity.parse("urn:meshgate:proxy:sidecar:orders")).contains("sidecar:orders");
    assertThat(ProxyIdentity.parse("urn:meshgate:proxy:robot:x")).isEmpty();
    assertThat(ProxyIdentity.parse("urn:meshgate:proxy:gateway:")).isEmpty();
    assertThat(ProxyIdentity.parse("spiffe://meshgate.local/service/orders")).isEmpty();
  }

  // ---- helpers -------------------------------------------------------------------------

  static void verify(IssuedCertificate leaf, List<X509Certificate> anchors) throws Exception {
    verify(leaf, anchors, Instant.now());
  }

  static void verify(IssuedCertificate leaf, List<X509Certificate> anchors, Instant at)
      throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    Set<TrustAnchor> trust = new HashSet<>();
    anchors.forEach(a -> trust.add(new TrustAnchor(a, null)));
    PKIXParameters params = new PKIXParameters(trust);
    params.setRevocationEnabled(false);
    params.setDate(Date.from(at));
    CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(leaf.chain()), params);
  }

  static List<String> sans(X509Certificate cert, int type) throws Exception {
    List<String> values = new ArrayList<>();
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    if (sans != null) {
      for (List<?> san : sans) {
        if (Integer.valueOf(type).equals(san.get(0))) {
          values.add((String) san.get(1));
        }
      }
    }
    return values;
  }

  private static KeyPair ecKeyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate caCertificate(
      String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey) throws Exception {
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(3650))),
                new X500Name(subject),
                subjectKey.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
  }

  /** SEC1 with the named curve, as `openssl ecparam -name prime256v1 -genkey` writes it. */
  private static String ecPrivateKeyPem(KeyPair pair) throws Exception {
    var key = (java.security.interfaces.ECPrivateKey) pair.getPrivate();
    var sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
            256,
            key.getS(),
            new org.bouncycastle.asn1.x9.X962Parameters(
                org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1));
    var out = new java.io.StringWriter();
    try (var pem = new org.bouncycastle.util.io.pem.PemWriter(out)) {
      pem.writeObject(
          new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }
    return out.toString();
  }
}
