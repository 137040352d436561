package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ir.MeshIr;
import java.util.Optional;

/** The mesh settings and which services are in the mesh (have a sidecar). */
record Meshed(MeshIr mesh, java.util.Set<String> services) {
  Optional<String> peerIdentity(String service) {
    return services.contains(service)
        ? Optional.of(mesh.serviceIdentity(service))
        : Optional.empty();
  }
}
