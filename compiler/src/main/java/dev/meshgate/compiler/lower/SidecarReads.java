package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ir.MeshIr;
import dev.meshgate.compiler.ir.ServiceIr;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What lowering one sidecar looks up in the rest of the policy, and a record of every lookup.
 *
 * <p>{@link SidecarLowering} gets its own service's declarations in {@link SidecarInputs} and
 * reaches everything else through here, so {@link IncrementalLowering} can tell on the next compile
 * whether a sidecar would come out the same without lowering it again: equal inputs, and every
 * lookup recorded here answered as before. Recording the lookups, rather than listing what a
 * sidecar depends on next to the code that depends on it, keeps that true as features are added.
 */
final class SidecarReads {
  private final Map<String, ServiceIr> services;
  private final Set<String> meshed;
  private final Set<String> gateways;
  private final MeshIr mesh;
  private final Map<String, ServiceIr> servicesRead = new HashMap<>();
  private final Map<String, Boolean> meshedRead = new HashMap<>();
  private final Map<String, Boolean> gatewaysRead = new HashMap<>();

  /**
   * @param services every service by name
   * @param meshed the services with a sidecar
   * @param gateways the gateways' names
   */
  SidecarReads(
      Map<String, ServiceIr> services, Set<String> meshed, Set<String> gateways, MeshIr mesh) {
    this.services = services;
    this.meshed = meshed;
    this.gateways = gateways;
    this.mesh = mesh;
  }

  /** The mesh's settings (part of every sidecar's {@link SidecarInputs}, so not recorded). */
  MeshIr mesh() {
    return mesh;
  }

  /** A service the checker resolved. */
  ServiceIr service(String name) {
    ServiceIr service = Lowering.resolved(services, name);
    servicesRead.put(name, service);
    return service;
  }

  /** The identity a caller's client certificate check expects, for a service in the mesh. */
  Optional<String> peerIdentity(String service) {
    boolean inMesh = meshed.contains(service);
    meshedRead.put(service, inMesh);
    return inMesh ? Optional.of(mesh.serviceIdentity(service)) : Optional.empty();
  }

  boolean isGateway(String name) {
    boolean gateway = gateways.contains(name);
    gatewaysRead.put(name, gateway);
    return gateway;
  }

  Recorded recorded() {
    return new Recorded(Map.copyOf(servicesRead), Map.copyOf(meshedRead), Map.copyOf(gatewaysRead));
  }

  /** Whether every lookup of an earlier lowering gives the same answer in this policy. */
  boolean answersAsBefore(Recorded before) {
    for (var read : before.services().entrySet()) {
      if (!Objects.equals(services.get(read.getKey()), read.getValue())) {
        return false;
      }
    }
    for (var read : before.meshed().entrySet()) {
      if (meshed.contains(read.getKey()) != read.getValue()) {
        return false;
      }
    }
    for (var read : before.gateways().entrySet()) {
      if (gateways.contains(read.getKey()) != read.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The lookups of one sidecar's lowering and their answers. */
  record Recorded(
      Map<String, ServiceIr> services,
      Map<String, Boolean> meshed,
      Map<String, Boolean> gateways) {}
}
