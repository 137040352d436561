package dev.meshgate.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

  private static final Map<String, Parser<? extends Message>> PARSERS =
      Map.of(
          SimulatedEnvoy.CDS, Cluster.parser(),
          SimulatedEnvoy.EDS, ClusterLoadAssignment.parser(),
          SimulatedEnvoy.LDS, Listener.parser(),
          SimulatedEnvoy.RDS, RouteConfiguration.parser());

  /**
   * Where what a server served ({@code served}, by group and type) differs from the export of
   * {@code version}: another version string, or other resources. Resources are compared as parsed
   * messages, in any order: go-control-plane answers a wildcard request in map order and
   * re-marshals each resource, so equal messages need not be equal bytes.
   */
  static List<String> differences(
      Path dir, String version, Map<String, Map<String, DiscoveryResponse>> served)
      throws IOException {
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, Map<String, DiscoveryResponse>> group :
        new TreeMap<>(served).entrySet()) {
      for (String type : new TreeMap<>(FILES).keySet()) {
        DiscoveryResponse got = group.getValue().get(type);
        DiscoveryResponse expected = read(dir, version, group.getKey(), type);
        String where = group.getKey() + " " + type;
        if (got == null) {
          differences.add(where + ": nothing served");
        } else if (!got.getVersionInfo().equals(expected.getVersionInfo())) {
          differences.add(
              where + ": version " + got.getVersionInfo() + ", not " + expected.getVersionInfo());
        } else if (!parsed(got).equals(parsed(expected))) {
          differences.add(where + ": other resources");
        }
      }
    }
    return differences;
  }

  private static Set<Message> parsed(DiscoveryResponse response) throws IOException {
    Parser<? extends Message> parser =
        Objects.requireNonNull(PARSERS.get(response.getTypeUrl()), "not an exported type");
    Set<Message> messages = new HashSet<>();
    for (Any any : response.getResourcesList()) {
      try {
        messages.add(parser.parseFrom(any.getValue()));
      } catch (InvalidProtocolBufferException e) {
        throw new IOException("an unreadable " + response.getTypeUrl(), e);
      }
    }
    return messages;
  }

  private static DiscoveryResponse stripped(DiscoveryResponse response) {
    return response.toBuilder().clearNonce().clearControlPlane().build();
  }
}
