package dev.meshgate.bootstrap;

import java.util.Locale;

/** What an Envoy is in the mesh; with its name it makes the group the server serves it. */
public enum ProxyRole {
  /** An edge gateway: {@code node.cluster} = the gateway's name. */
  GATEWAY,
  /** The sidecar of one service: {@code node.cluster} = the service's name. */
  SIDECAR;

  /** {@code gateway} or {@code sidecar}: the {@code meshgate.role} node metadata value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
