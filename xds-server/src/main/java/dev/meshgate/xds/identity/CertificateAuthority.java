package dev.meshgate.xds.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meshgate's built-in certificate authority: it signs every certificate of the mesh, the workloads'
 * SPIFFE certificates (served over SDS), the proxies' xDS client certificates and the xDS server's
 * own certificate.
 *
 * <p>It lives in a directory ({@code --ca-dir}) as two PEM files: {@code ca.crt} and {@code ca.key}
 * (mode 0600). {@link #loadOrCreate} generates a self-signed ECDSA P-256 root there on first use
 * (valid {@link #ROOT_VALIDITY}), or loads what is there: bring your own CA by putting its
 * certificate and key there. {@code ca.crt} may be an intermediate: then it holds the intermediate
 * first, followed by its chain up to (and preferably including) the root. The trust bundle handed
 * to every verifier is the self-signed certificates of that file (the root), or, when it has none,
 * all of them.
 *
 * <p>Leaf certificates: ECDSA P-256 keys generated per certificate, random 159-bit serials, {@code
 * notBefore} one minute in the past (clock skew between hosts), never valid beyond the CA itself.
 * Safe for concurrent use.
 */
public final class CertificateAuthority {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);

  public static final String CERT_FILE = "ca.crt";
  public static final String KEY_FILE = "ca.key";

  /** How long a generated root is valid. */
  public static final Duration ROOT_VALIDITY = Duration.ofDays(3650);

  static final Duration BACKDATE = Duration.ofMinutes(1);
  private static final String LOCK_FILE = ".lock";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate caCertificate;
  private final PrivateKey caKey;

  /** Certificates between our CA and the trust anchor (sent along with every leaf). */
  private final List<X509Certificate> intermediates;

  private final List<X509Certificate> trustAnchors;
  private final Clock clock;
  private final boolean created;

  private CertificateAuthority(
      X509Certificate caCertificate,
      PrivateKey caKey,
      List<X509Certificate> intermediates,
      List<X509Certificate> trustAnchors,
      Clock clock,
      boolean created) {
    this.caCertificate = caCertificate;
    this.caKey = caKey;
    this.intermediates = List.copyOf(intermediates);
    this.trustAnchors = List.copyOf(trustAnchors);
    this.clock = clock;
    this.created = created;
  }

  /**
   * The CA in {@code dir}: loaded from {@code ca.crt} and {@code ca.key}, or, when neither exists,
   * a new root generated and written there (the directory is created, mode 0700). Two processes
   * doing this at once on one directory end up with the same CA (a file lock).
   *
   * @throws IOException when the files cannot be read or written, only one of them exists, or they
   *     are not a CA certificate and its matching private key
   */
  public static CertificateAuthority loadOrCreate(Path dir) throws IOException {
    return loadOrCreate(dir, Clock.systemUTC());
  }

  static CertificateAuthority loadOrCreate(Path dir, Clock clock) throws IOException {
    Objects.requireNonNull(dir, "dir");
    // A file lock keeps other processes out; within this JVM a second lock() would throw.
    synchronized (CertificateAuthority.class) {
      return lockedLoadOrCreate(dir, clock);
    }
  }

  private static CertificateAuthority lockedLoadOrCreate(Path dir, Clock clock) throws IOException {
    Path cert = dir.resolve(CERT_FILE);
    Path key = dir.resolve(KEY_FILE);
    if (Files.exists(cert) && Files.exists(key)) {
      return load(dir, clock); // no lock: a CA you bring may sit on a read-only mount
    }
    CaFiles.createPrivateDirectory(dir);
    try (FileChannel lockChannel =
        FileChannel.open(
            dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = lockChannel.lock();
      try {
        boolean hasCert = Files.exists(cert);
        boolean hasKey = Files.exists(key);
        if (hasCert && hasKey) {
          return load(dir, clock); // another process created it while we waited
        }
        if (hasCert || hasKey) {
          throw new IOException(
              "CA directory "
                  + dir
                  + " has "
                  + (hasCert
                      ? CERT_FILE + " but no " + KEY_FILE
                      : KEY_FILE + " but no " + CERT_FILE)
                  + "; put both there (bring your own CA), or remove it to have a new CA generated");
        }
        CertificateAuthority ca = generate(clock);
        CaFiles.writeAtomically(key, Pem.privateKey(ca.caKey), true);
        CaFiles.writeAtomically(cert, Pem.certificates(List.of(ca.caCertificate)), false);
        LOG.info(
            "generated a new CA in {} (root {}, valid until {})",
            dir,
            ca.caCertificate.getSubjectX500Principal(),
            ca.caCertificate.getNotAfter().toInstant());
        return ca;
      } finally {
        lock.release();
      }
    }
  }

  /** The CA in {@code dir}; unlike {@link #loadOrCreate} never creates one. */
  public static CertificateAuthority load(Path dir) throws IOException {
    return load(dir, Clock.systemUTC());
  }

  static CertificateAuthority load(Path dir, Clock clock) throws IOException {
    Path certFile = dir.resolve(CERT_FILE);
    Path keyFile = dir.resolve(KEY_FILE);
    List<X509Certificate> certificates =
        Pem.parseCertificates(
            Files.readString(certFile, StandardCharsets.US_ASCII), certFile.toString());
    PrivateKey key =
        Pem.parsePrivateKey(
            Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile.toString());
    CaFiles.warnIfReadableByOthers(keyFile);
    X509Certificate ca = certificates.getFirst();
    if (ca.getBasicConstraints() < 0) {
      throw new IOException(
          certFile
              + ": the first certificate ("
              + ca.getSubjectX500Principal()
              + ") is not a CA certificate (basicConstraints CA:TRUE is missing)");
    }
    if (!matches(ca.getPublicKey(), key)) {
      throw new IOException(
          keyFile + " is not the private key of the first certificate in " + certFile);
    }
    List<X509Certificate> anchors =
        certificates.stream().filter(CertificateAuthority::selfSigned).toList();
    List<X509Certificate> intermediates =
        certificates.stream().filter(c -> !selfSigned(c)).toList();
    if (anchors.isEmpty()) {
      LOG.warn(
          "{} has no self-signed root: the trust bundle is the CA certificate(s) themselves; add the root"
              + " after the intermediate so that peers can verify the whole chain",
          certFile);
      anchors = certificates;
      intermediates = List.of();
    }
    if (ca.getNotAfter().toInstant().isBefore(clock.instant())) {
      throw new IOException(
          certFile + ": the CA certificate expired at " + ca.getNotAfter().toInstant());
    }
    return new CertificateAuthority(ca, key, intermediates, anchors, clock, false);
  }

  /** A new self-signed root, kept in memory only (tests, and {@link #loadOrCreate}). */
  static CertificateAuthority generate(Clock clock) {
    KeyPair pair = newKeyPair();
    Instant now = clock.instant();
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Meshgate")
            .addRDN(BCStyle.CN, "Meshgate CA " + HexFormat.of().formatHex(randomBytes(4)))
            .build();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(ROOT_VALIDITY)),
                  name,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  utils.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = sign(builder, pair.getPrivate());
      return new CertificateAuthority(
          cert, pair.getPrivate(), List.of(), List.of(cert), clock, true);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a CA certificate", e);
    }
  }

  /** True when {@link #loadOrCreate} generated this CA rather than loading it. */
  public boolean created() {
    return created;
  }

  /** The certificate that signs leaves (the root, or your intermediate). */
  public X509Certificate certificate() {
    return caCertificate;
  }

  /** What verifiers trust: the root(s). */
  public List<X509Certificate> trustAnchors() {
    return trustAnchors;
  }

  /** {@link #trustAnchors()} as PEM: Envoy's {@code trusted_ca}, gRPC's trust manager. */
  public String trustBundlePem() {
    return Pem.certificates(trustAnchors);
  }

  /** A workload certificate: URI SAN = {@code spiffeId}, for client and server TLS (mTLS). */
  public IssuedCertificate issueWorkload(String spiffeId, Duration ttl) {
    if (!spiffeId.startsWith("spiffe://")) {
      throw new IllegalArgumentException("not a SPIFFE ID: " + spiffeId);
    }
    return issue(spiffeId, List.of(uri(spiffeId)), ttl, true, true);
  }

  /** An xDS client certificate of a proxy: URI SAN {@code urn:meshgate:proxy:<role>:<name>}. */
  public IssuedCertificate issueProxyClient(String proxyUri, Duration ttl) {
    if (ProxyIdentity.parse(proxyUri).isEmpty()) {
      throw new IllegalArgumentException("not a proxy identity: " + proxyUri);
    }
    return issue(proxyUri, List.of(uri(proxyUri)), ttl, false, true);
  }

  /**
   * The xDS server's certificate: URI SAN {@link ProxyIdentity#XDS_SERVER}, plus an IP SAN for each
   * of {@code addresses} that is an IP literal and a DNS SAN for each other one.
   */
  public IssuedCertificate issueServer(List<String> addresses, Duration ttl) {
    List<GeneralName> names = new ArrayList<>();
    names.add(uri(ProxyIdentity.XDS_SERVER));
    for (String address : addresses.stream().distinct().toList()) {
      names.add(
          isIpLiteral(address)
              ? new GeneralName(GeneralName.iPAddress, address)
              : new GeneralName(GeneralName.dNSName, address));
    }
    return issue("meshgate xds-server", names, ttl, true, false);
  }

  /**
   * A TLS server certificate for a gateway's host names (DNS SANs; IP SANs for IP literals), for
   * development: clients must trust this CA.
   */
  public IssuedCertificate issueTlsServer(List<String> names, Duration ttl) {
    List<GeneralName> sans = new ArrayList<>();
    for (String name : names.stream().distinct().toList()) {
      sans.add(
          isIpLiteral(name)
              ? new GeneralName(GeneralName.iPAddress, name)
              : new GeneralName(GeneralName.dNSName, name));
    }
    return issue(names.get(0), sans, ttl, true, false);
  }

  private IssuedCertificate issue(
      String commonName, List<GeneralName> sans, Duration ttl, boolean server, boolean client) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("certificate TTL must be positive: " + ttl);
    }
    KeyPair pair = newKeyPair();
    Instant now = clock.instant();
    Instant notAfter = now.plus(ttl);
    Instant caEnd = caCertificate.getNotAfter().toInstant();
    if (notAfter.isAfter(caEnd)) {
      notAfter = caEnd; // a leaf cannot outlive its issuer
    }
    List<KeyPurposeId> purposes = new ArrayList<>();
    if (server) {
      purposes.add(KeyPurposeId.id_kp_serverAuth);
    }
    if (client) {
      purposes.add(KeyPurposeId.id_kp_clientAuth);
    }
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      // The identity is in the SAN (as SPIFFE says); the CN only helps people reading the cert.
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.O, "Meshgate")
              .addRDN(BCStyle.CN, truncate(commonName))
              .build();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  caCertificate,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  subject,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)))
              .addExtension(
                  Extension.subjectAlternativeName,
                  true,
                  new GeneralNames(sans.toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  utils.createSubjectKeyIdentifier(pair.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  utils.createAuthorityKeyIdentifier(caCertificate));
      X509Certificate leaf = sign(builder, caKey);
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(leaf);
      chain.addAll(intermediates);
      return new IssuedCertificate(chain, pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default ->
          throw new IllegalArgumentException(
              "unsupported CA key algorithm " + key.getAlgorithm() + " (use EC or RSA)");
    };
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has EC P-256", e);
    }
  }

  /** Random and positive, at most 20 octets (RFC 5280 4.1.2.2). */
  private static BigInteger serial() {
    return new BigInteger(159, RANDOM).setBit(0);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static GeneralName uri(String uri) {
    URI.create(uri); // fail early on a malformed identity
    return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
  }

  private static String truncate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64); // the CN is at most 64 characters
  }

  static boolean isIpLiteral(String host) {
    if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      return false;
    }
    try {
      InetAddress.getByName(host); // a literal: no lookup happens
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean selfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static boolean matches(PublicKey publicKey, PrivateKey key) {
    try {
      byte[] data = randomBytes(32);
      var signer = java.security.Signature.getInstance(signatureAlgorithm(key));
      signer.initSign(key);
      signer.update(data);
      byte[] signature = signer.sign();
      var verifier = java.security.Signature.getInstance(signatureAlgorithm(key));
      verifier.initVerify(publicKey);
      verifier.update(data);
      return (publicKey instanceof ECPublicKey || publicKey instanceof RSAPublicKey)
          && verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
