package dev.meshgate.bootstrap;

import java.util.Objects;

/**
 * The PEM strings an Envoy needs to reach the xDS server over mutual TLS: the CA that signed the
 * server's certificate, and this proxy's own client certificate chain and private key. ({@code
 * dev.meshgate.xds.identity.ProxyCredentials} issues them; this module takes plain strings so it
 * depends on nothing.) {@link #toString()} hides the key.
 */
public record XdsTls(String caPem, String certPem, String keyPem) {
  public XdsTls {
    requirePem(caPem, "caPem");
    requirePem(certPem, "certPem");
    requirePem(keyPem, "keyPem");
  }

  private static void requirePem(String pem, String what) {
    Objects.requireNonNull(pem, what);
    if (!pem.contains("-----BEGIN ")) {
      throw new IllegalArgumentException(what + " is not PEM (no -----BEGIN line)");
    }
  }

  @Override
  public String toString() {
    return "XdsTls[caPem="
        + caPem.length()
        + " chars, certPem="
        + certPem.length()
        + " chars, keyPem=(hidden)]";
  }
}
