package dev.meshgate.it;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An operator's own small PKI for the edge TLS tests: a CA, server certificates for host names,
 * client certificates (valid or expired), all as PEM files or a JDK {@link SSLContext}.
 */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** A certificate and its key. */
  record Issued(X509Certificate certificate, PrivateKey key) {
    void writePem(Path chain, Path keyFile) {
      try {
        Path tmpChain = chain.resolveSibling(chain.getFileName() + ".tmp");
        Path tmpKey = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
        Files.writeString(tmpChain, pem(certificate));
        Files.writeString(tmpKey, pem(new JcaPKCS8Generator(key, null).generate()));
        Files.move(tmpKey, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmpChain, chain, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate ca;

  private TestPki(String name, KeyPair caKeys, X509Certificate ca) {
    this.name = name;
    this.caKeys = caKeys;
    this.ca = ca;
  }

  static TestPki create(String name) {
    KeyPair keys = keyPair();
    Instant now = Instant.now();
    X509Certificate ca =
        sign(
            new X500Name("CN=" + name),
            new X500Name("CN=" + name),
            keys.getPublic(),
            keys.getPrivate(),
            now.minusSeconds(60),
            now.plusSeconds(86400),
            true,
            null,
            null);
    return new TestPki(name, keys, ca);
  }

  X509Certificate ca() {
    return ca;
  }

  void writeCa(Path file) {
    try {
      Files.writeString(file, pem(ca));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Issued server(String... dnsNames) {
    KeyPair keys = keyPair();
    Instant now = Instant.now();
    GeneralName[] sans = new GeneralName[dnsNames.length];
    for (int i = 0; i < dnsNames.length; i++) {
      sans[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
    }
    return new Issued(
        sign(
            new X500Name("CN=" + name),
            new X500Name("CN=" + dnsNames[0]),
            keys.getPublic(),
            caKeys.getPrivate(),
            now.minusSeconds(60),
            now.plusSeconds(3600),
            false,
            KeyPurposeId.id_kp_serverAuth,
            new GeneralNames(sans)),
        keys.getPrivate());
  }

  Issued client(String commonName, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    return new Issued(
        sign(
            new X500Name("CN=" + name),
            new X500Name("CN=" + commonName),
            keys.getPublic(),
            caKeys.getPrivate(),
            notBefore,
            notAfter,
            false,
            KeyPurposeId.id_kp_clientAuth,
            null),
        keys.getPrivate());
  }

  /** A client context trusting {@code trusted}, presenting {@code client} if given. */
  static SSLContext context(List<X509Certificate> trusted, Issued client) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < trusted.size(); i++) {
        trust.setCertificateEntry("ca" + i, trusted.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (client != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "client", client.key(), new char[0], new X509Certificate[] {client.certificate()});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      X500Name issuer,
      X500Name subject,
      java.security.PublicKey publicKey,
      PrivateKey signer,
      Instant notBefore,
      Instant notAfter,
      boolean isCa,
      KeyPurposeId purpose,
      GeneralNames sans) {
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              publicKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (purpose != null) {
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      }
      if (sans != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, sans);
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) throws java.io.IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
