package dev.meshgate.benchmarks;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What Meshgate served, written for the go-control-plane peer (benchmarks/peers/go-control-plane):
 * {@code <dir>/<version>/<group>/<clusters|endpoints|listeners|routes>.pb}, each one binary {@code
 * DiscoveryResponse} with the type, the version and the resources exactly as they came, the nonce
 * and control plane dropped. Binary rather than JSON: the peer then needs no registry of every
 * Envoy extension to carry the nested {@code typed_config}s through unchanged.
 */
final class PeerExport {
  private PeerExport() {}

  /** The file of each type, in the order the peer reads them. */
  static final Map<String, String> FILES =
      Map.of(
          SimulatedEnvoy.CDS, "clusters.pb",
          SimulatedEnvoy.EDS, "endpoints.pb",
          SimulatedEnvoy.LDS, "listeners.pb",
          SimulatedEnvoy.RDS, "routes.pb");

  /**
   * Writes one version: for every group, its last response of each of the four types.
   *
   * @throws IllegalArgumentException when a group lacks one of the four types
   */
  static void write(Path dir, String version, Map<String, Map<String, DiscoveryResponse>> byGroup)
      throws IOException {
    for (Map.Entry<String, Map<String, DiscoveryResponse>> group :
        new TreeMap<>(byGroup).entrySet()) {
      Path groupDir = Files.createDirectories(dir.resolve(version).resolve(group.getKey()));
      for (Map.Entry<String, String> file : new TreeMap<>(FILES).entrySet()) {
        DiscoveryResponse response = group.getValue().get(file.getKey());
        if (response == null) {
          throw new IllegalArgumentException(
              "group " + group.getKey() + " was served no " + file.getKey());
        }
        Files.write(groupDir.resolve(file.getValue()), stripped(response).toByteArray());
      }
    }
  }

  /** Reads back one group's response of {@code typeUrl} (tests, and checks of an export). */
  static DiscoveryResponse read(Path dir, String version, String group, String typeUrl)
      throws IOException {
    String file = Objects.requireNonNull(FILES.get(typeUrl), "not an exported type");
    return DiscoveryResponse.parseFrom(
        Files.readAllBytes(dir.resolve(version).resolve(group).resolve(file)));
  }

  private static DiscoveryResponse stripped(DiscoveryResponse response) {
    return response.toBuilder().clearNonce().clearControlPlane().build();
  }
}
