package dev.meshgate.xds.identity;

import java.util.Objects;

/**
 * What one Envoy needs to talk to the xDS server over mutual TLS, all PEM: the CA to verify the
 * server with, its own client certificate chain and private key. Hand the three strings to {@code
 * dev.meshgate.bootstrap.XdsTls} (envoy-bootstrap does not depend on this module).
 *
 * <p>{@link #toString()} hides the key.
 */
public record XdsClientTls(String caPem, String certPem, String keyPem) {
  public XdsClientTls {
    Objects.requireNonNull(caPem, "caPem");
    Objects.requireNonNull(certPem, "certPem");
    Objects.requireNonNull(keyPem, "keyPem");
  }

  @Override
  public String toString() {
    return "XdsClientTls[caPem="
        + caPem.length()
        + " chars, certPem="
        + certPem.length()
        + " chars, keyPem=(hidden)]";
  }
}
