package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * The sidecar of one service in the mesh: its identity, the inbound listener (mTLS, authz,
 * then the local app), and the outbound side, which holds only what this service may call:
 * one virtual host and one cluster per callee (least privilege by construction). Callees are
 * the services named by {@code call <svc> -> X} and by {@code allow <svc> -> X}.
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
    List<ClusterIr> clusters) {
  public SidecarIr {
    outboundHosts = List.copyOf(outboundHosts);
    clusters = List.copyOf(clusters);
  }

  /** {@code catalog.app}: the cluster of the local application. */
  public String appCluster() {
    return service + ".app";
  }
}
