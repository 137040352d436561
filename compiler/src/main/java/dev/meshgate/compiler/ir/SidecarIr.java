package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * The sidecar of one service in the mesh: its identity, the inbound listener (mTLS, authz, then the
 * local app), and the outbound side, which holds only what this service may call: one virtual host
 * (HTTP callees) or one local TCP listener ({@code tcp} callees, {@code tcpOutbound}) and one
 * cluster per callee (least privilege by construction). Callees are the services named by {@code
 * call <svc> -> X} and by {@code allow <svc> -> X}. When {@code protocol} is {@code TCP} the
 * inbound side relays connections (network RBAC, tcp_proxy) instead of HTTP requests.
 */
public record SidecarIr(
    String service,
    String identity,
    Protocol protocol,
    AddressIr inbound,
    AddressIr app,
    AddressIr outbound,
    MeshIr.Mtls mtls,
    InboundAuthzIr authz,
    List<VirtualHostIr> outboundHosts,
    List<ClusterIr> clusters,
    List<TcpOutboundIr> tcpOutbound,
    java.util.Optional<String> zone,
    java.util.Optional<AccessLogIr> accessLog,
    java.util.Optional<TracingIr> tracing) {
  public SidecarIr {
    outboundHosts = List.copyOf(outboundHosts);
    clusters = List.copyOf(clusters);
    tcpOutbound = List.copyOf(tcpOutbound);
  }

  /** A sidecar without {@code access-log} (Envoy's default line on stdout) and without tracing. */
  public SidecarIr(
      String service,
      String identity,
      Protocol protocol,
      AddressIr inbound,
      AddressIr app,
      AddressIr outbound,
      MeshIr.Mtls mtls,
      InboundAuthzIr authz,
      List<VirtualHostIr> outboundHosts,
      List<ClusterIr> clusters,
      List<TcpOutboundIr> tcpOutbound,
      java.util.Optional<String> zone) {
    this(
        service,
        identity,
        protocol,
        inbound,
        app,
        outbound,
        mtls,
        authz,
        outboundHosts,
        clusters,
        tcpOutbound,
        zone,
        java.util.Optional.empty(),
        java.util.Optional.empty());
  }

  /** A sidecar without {@code zone} (no preferred locality). */
  public SidecarIr(
      String service,
      String identity,
      Protocol protocol,
      AddressIr inbound,
      AddressIr app,
      AddressIr outbound,
      MeshIr.Mtls mtls,
      InboundAuthzIr authz,
      List<VirtualHostIr> outboundHosts,
      List<ClusterIr> clusters,
      List<TcpOutboundIr> tcpOutbound) {
    this(
        service,
        identity,
        protocol,
        inbound,
        app,
        outbound,
        mtls,
        authz,
        outboundHosts,
        clusters,
        tcpOutbound,
        java.util.Optional.empty());
  }

  /** A sidecar that calls no {@code tcp} service. */
  public SidecarIr(
      String service,
      String identity,
      Protocol protocol,
      AddressIr inbound,
      AddressIr app,
      AddressIr outbound,
      MeshIr.Mtls mtls,
      InboundAuthzIr authz,
      List<VirtualHostIr> outboundHosts,
      List<ClusterIr> clusters) {
    this(
        service,
        identity,
        protocol,
        inbound,
        app,
        outbound,
        mtls,
        authz,
        outboundHosts,
        clusters,
        List.of());
  }

  /** {@code catalog.app}: the cluster of the local application. */
  public String appCluster() {
    return service + ".app";
  }
}
