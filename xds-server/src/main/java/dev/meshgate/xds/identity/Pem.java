package dev.meshgate.xds.identity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM in and out. Keys are written as unencrypted PKCS#8, which Envoy, gRPC and OpenSSL all read.
 */
final class Pem {
  private Pem() {}

  static String certificates(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      for (X509Certificate c : certificates) {
        pem.writeObject(c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
    return out.toString();
  }

  static String privateKey(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Every certificate in {@code text}, in order; other PEM blocks are an error. */
  static List<X509Certificate> parseCertificates(String text, String what) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (!(o instanceof X509CertificateHolder holder)) {
          throw new IOException(
              what
                  + " holds a "
                  + o.getClass().getSimpleName()
                  + " where a certificate was expected");
        }
        certificates.add(converter.getCertificate(holder));
      }
    } catch (CertificateException e) {
      throw new IOException(what + ": not a valid certificate: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IOException(what + ": not valid PEM: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(what + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /** A private key in PKCS#8 ({@code PRIVATE KEY}) or OpenSSL ({@code EC/RSA PRIVATE KEY}) PEM. */
  static PrivateKey parsePrivateKey(String text, String what) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o = parser.readObject();
      return switch (o) {
        case PrivateKeyInfo info -> converter.getPrivateKey(info);
        // OpenSSL's "EC PRIVATE KEY" may omit the public key: read only the private part.
        case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
        case null -> throw new IOException(what + " holds no PEM private key");
        default ->
            throw new IOException(
                what
                    + " holds a "
                    + o.getClass().getSimpleName()
                    + "; expected an unencrypted private key (BEGIN PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
      };
    } catch (RuntimeException e) {
      throw new IOException(what + ": not a valid private key: " + e.getMessage(), e);
    }
  }
}
