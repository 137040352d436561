package dev.meshgate.compiler.ir;

/** One {@code listen [ADDR]:PORT}; address defaults to 0.0.0.0. */
public record ListenerIr(String address, int port) {
  /** Stable resource name, e.g. {@code edge:8080} for gateway edge. */
  public String resourceName(String gateway) {
    return gateway + ":" + port;
  }
}
