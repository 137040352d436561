package dev.meshgate.compiler.ir;

import java.util.List;
import java.util.Optional;

/**
 * TLS termination on a gateway listener: the lowest protocol version ({@code 1.2} or {@code 1.3}),
 * the TLS 1.2 cipher suites (TLS 1.3 suites are not configurable in Envoy) and, optionally, the
 * check of client certificates.
 */
public record TlsIr(
    String minVersion, List<String> ciphers, Optional<ClientCertificateIr> clientCertificate) {
  public TlsIr {
    ciphers = List.copyOf(ciphers);
  }

  /**
   * Client certificates checked against the CA bundle in {@code caFile} (served over SDS as {@code
   * secretName}); {@code required}: a client without one is refused during the handshake.
   */
  public record ClientCertificateIr(boolean required, String caFile, String secretName) {}
}
