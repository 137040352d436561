package dev.meshgate.xds.identity;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;

/** Checks a PEM certificate chain and private key an operator supplies before they are served. */
public final class CertificatePair {
  private CertificatePair() {}

  /**
   * Throws unless {@code chainPem} holds certificates and {@code keyPem} the private key of the
   * first: a renewal caught between writing the key and the chain must not reach Envoy (which would
   * reject the pair).
   */
  public static void check(String chainPem, String keyPem, String what) throws IOException {
    List<X509Certificate> chain = Pem.parseCertificates(chainPem, what + " certificate");
    if (chain.isEmpty()) {
      throw new IOException(what + ": no certificate");
    }
    var key = Pem.parsePrivateKey(keyPem, what + " key");
    if (!CertificateAuthority.matches(chain.get(0).getPublicKey(), key)) {
      throw new IOException(what + ": the key does not belong to the certificate");
    }
  }
}
