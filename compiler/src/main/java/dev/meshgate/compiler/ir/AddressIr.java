package dev.meshgate.compiler.ir;

/** An IPv4 address and a port: where a sidecar listens or where its application is. */
public record AddressIr(String address, int port) {
  @Override
  public String toString() {
    return address + ":" + port;
  }
}
