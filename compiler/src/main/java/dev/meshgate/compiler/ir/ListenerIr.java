package dev.meshgate.compiler.ir;

import java.util.Optional;

/**
 * One {@code listen [ADDR]:PORT}; address defaults to 0.0.0.0. {@code tls}: it terminates TLS with
 * the gateway's certificates; {@code redirectToHttpsPort}: it answers every request with a redirect
 * to HTTPS on that port.
 */
public record ListenerIr(
    String address, int port, Optional<TlsIr> tls, Optional<Integer> redirectToHttpsPort) {

  /** A plain HTTP listener. */
  public ListenerIr(String address, int port) {
    this(address, port, Optional.empty(), Optional.empty());
  }

  /** Stable resource name, e.g. {@code edge:8080} for gateway edge. */
  public String resourceName(String gateway) {
    return gateway + ":" + port;
  }
}
