package dev.meshgate.compiler.ir;

import java.util.List;
import java.util.Optional;

/**
 * The whole compiled policy: every service and every gateway, each list sorted by name; the mesh
 * settings (present when the policy declares a mesh block or any sidecar) and one sidecar per
 * service in the mesh, sorted by service.
 */
public record PolicyIr(
    List<ServiceIr> services,
    List<GatewayIr> gateways,
    Optional<MeshIr> mesh,
    List<SidecarIr> sidecars) {
  public PolicyIr {
    services = List.copyOf(services);
    gateways = List.copyOf(gateways);
    sidecars = List.copyOf(sidecars);
  }

  /** A policy without a mesh. */
  public PolicyIr(List<ServiceIr> services, List<GatewayIr> gateways) {
    this(services, gateways, Optional.empty(), List.of());
  }
}
