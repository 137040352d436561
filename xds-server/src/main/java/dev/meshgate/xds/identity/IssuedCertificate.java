package dev.meshgate.xds.identity;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A leaf certificate the CA issued, with its private key and the chain a peer needs to verify it:
 * {@code chain} starts with the leaf, followed by the CA certificates below the trust anchor (none
 * when the CA is a self-signed root).
 *
 * <p>{@link #toString()} never shows the key: this record is logged and printed in test output.
 */
public record IssuedCertificate(List<X509Certificate> chain, PrivateKey key) {

  public IssuedCertificate {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs at least the leaf");
    }
  }

  public X509Certificate certificate() {
    return chain.getFirst();
  }

  public BigInteger serial() {
    return certificate().getSerialNumber();
  }

  /** The serial as lowercase hex, as {@code openssl x509 -serial} and Envoy's admin show it. */
  public String serialHex() {
    return serial().toString(16);
  }

  public Instant notBefore() {
    return certificate().getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /** The leaf then its intermediates, PEM. */
  public String chainPem() {
    return Pem.certificates(chain);
  }

  /** The private key, PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). Secret: never log it. */
  public String keyPem() {
    return Pem.privateKey(key);
  }

  @Override
  public String toString() {
    return "IssuedCertificate[serial="
        + serialHex()
        + ", subject="
        + certificate().getSubjectX500Principal()
        + ", notAfter="
        + notAfter()
        + ", key=(hidden)]";
  }
}
