package dev.meshgate.bootstrap;

import java.util.Objects;
import java.util.Optional;

/**
 * What one Envoy's bootstrap says: who it is, where the xDS server is, and how to reach it.
 *
 * <pre>
 * String yaml = EnvoyBootstrap.render(
 *     BootstrapOptions.sidecar("orders", "orders-1", "127.0.0.1", 18000, 9902)
 *         .withTls(new XdsTls(caPem, certPem, keyPem)));
 * </pre>
 *
 * @param role gateway or sidecar ({@code node.metadata["meshgate.role"]})
 * @param name the gateway's or the service's name in the policy ({@code node.cluster})
 * @param nodeId unique per Envoy (the server tells replicas apart by it)
 * @param xdsHost an IP address or a DNS name of the xDS server
 * @param xdsPort the xDS server's gRPC port
 * @param adminPort Envoy's admin port, bound on 127.0.0.1 only
 * @param transport state of the world or delta ADS
 * @param tls mutual TLS to the xDS server (what {@code meshgate serve} requires unless run with
 *     {@code --insecure-xds}); empty: plaintext
 * @param stats the Prometheus stats listener; empty: none (stats only on the loopback admin port)
 */
public record BootstrapOptions(
    ProxyRole role,
    String name,
    String nodeId,
    String xdsHost,
    int xdsPort,
    int adminPort,
    XdsTransport transport,
    Optional<XdsTls> tls,
    Optional<StatsEndpoint> stats) {

  public BootstrapOptions {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(stats, "stats");
  }

  /** Options without a stats listener (the shape before issue 15). */
  public BootstrapOptions(
      ProxyRole role,
      String name,
      String nodeId,
      String xdsHost,
      int xdsPort,
      int adminPort,
      XdsTransport transport,
      Optional<XdsTls> tls) {
    this(role, name, nodeId, xdsHost, xdsPort, adminPort, transport, tls, Optional.empty());
  }

  /** A gateway Envoy: state of the world, plaintext until {@link #withTls}. */
  public static BootstrapOptions gateway(
      String name, String nodeId, String xdsHost, int xdsPort, int adminPort) {
    return new BootstrapOptions(
        ProxyRole.GATEWAY,
        name,
        nodeId,
        xdsHost,
        xdsPort,
        adminPort,
        XdsTransport.STATE_OF_THE_WORLD,
        Optional.empty());
  }

  /**
   * A sidecar Envoy of service {@code service}: state of the world, plaintext until {@link
   * #withTls}.
   */
  public static BootstrapOptions sidecar(
      String service, String nodeId, String xdsHost, int xdsPort, int adminPort) {
    return new BootstrapOptions(
        ProxyRole.SIDECAR,
        service,
        nodeId,
        xdsHost,
        xdsPort,
        adminPort,
        XdsTransport.STATE_OF_THE_WORLD,
        Optional.empty());
  }

  public BootstrapOptions withTls(XdsTls credentials) {
    return new BootstrapOptions(
        role,
        name,
        nodeId,
        xdsHost,
        xdsPort,
        adminPort,
        transport,
        Optional.of(credentials),
        stats);
  }

  public BootstrapOptions withTransport(XdsTransport t) {
    return new BootstrapOptions(role, name, nodeId, xdsHost, xdsPort, adminPort, t, tls, stats);
  }

  /** Adds a stats listener that serves only {@code /stats/prometheus} and {@code /ready}. */
  public BootstrapOptions withStats(StatsEndpoint endpoint) {
    return new BootstrapOptions(
        role, name, nodeId, xdsHost, xdsPort, adminPort, transport, tls, Optional.of(endpoint));
  }

  @Override
  public String toString() {
    return "BootstrapOptions["
        + role.label()
        + ":"
        + name
        + ", node "
        + nodeId
        + ", xds "
        + xdsHost
        + ":"
        + xdsPort
        + ", admin "
        + adminPort
        + ", "
        + transport
        + ", "
        + (tls.isPresent() ? "tls" : "plaintext")
        + stats.map(s -> ", stats " + s.bindAddress() + ":" + s.port()).orElse("")
        + "]";
  }
}
