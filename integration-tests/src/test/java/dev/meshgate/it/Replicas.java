package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the replica tests share: bootstraps naming two servers, and what an Envoy applied. */
final class Replicas {
  private static final List<String> TYPES =
      List.of("ClustersConfigDump", "ListenersConfigDump", "RoutesConfigDump", "SecretsConfigDump");

  private Replicas() {}

  /**
   * The bootstrap {@code meshgate bootstrap} wrote, with {@code other} as a second endpoint of the
   * xDS cluster (what a DNS name resolving to both replicas gives).
   */
  static String withSecondServer(String bootstrap, MeshgateProcess other) {
    String endpoint =
        "        - endpoint:\n"
            + "            address:\n"
            + "              socket_address:\n"
            + "                address: \"127.0.0.1\"\n"
            + "                port_value: ";
    int at = bootstrap.indexOf(endpoint);
    assertThat(at).as("the xDS endpoint in the bootstrap").isNotNegative();
    int lineEnd = bootstrap.indexOf('\n', at + endpoint.length());
    return bootstrap.substring(0, lineEnd + 1)
        + endpoint
        + other.xdsPort()
        + "\n"
        + bootstrap.substring(lineEnd + 1);
  }

  /** An Envoy of {@code gateway} whose xDS cluster holds both servers. */
  static EnvoyProcess gatewayOfBoth(
      String gateway, MeshgateProcess first, MeshgateProcess second, java.nio.file.Path work) {
    String nodeId = EnvoyProcess.uniqueNodeId(gateway);
    return EnvoyProcess.start(
        nodeId,
        adminPort ->
            withSecondServer(Bootstraps.gateway(first, gateway, nodeId, adminPort), second),
        work,
        1);
  }

  /**
   * The version_info Envoy holds per type (the dump's own) and per dynamic resource, keyed by type
   * and resource name.
   */
  static Map<String, String> appliedVersions(EnvoyProcess envoy) {
    Map<String, String> versions = new TreeMap<>();
    for (String type : TYPES) {
      for (JsonNode node : envoy.configDump(type).findParents("version_info")) {
        versions.put(type + "/" + resourceName(node), node.path("version_info").asText());
      }
    }
    return versions;
  }

  /** The name of the resource a config-dump entry with a version_info describes ("" for none). */
  private static String resourceName(JsonNode entry) {
    for (String wrapper : List.of("cluster", "route_config", "listener")) {
      if (entry.has(wrapper)) {
        return entry.path(wrapper).path("name").asText();
      }
    }
    return entry.path("name").asText(); // a secret, or the dump itself
  }

  /** Listener and cluster adds/changes/removals and route reloads Envoy counted. */
  static Map<String, Long> rebuilds(EnvoyProcess envoy) {
    Map<String, Long> counters = new TreeMap<>();
    counters.putAll(envoy.stats("^listener_manager\\.listener_(added|modified|removed)$"));
    counters.putAll(envoy.stats("^cluster_manager\\.cluster_(added|modified|removed)$"));
    counters.putAll(envoy.stats("^http\\..*\\.rds\\..*\\.config_reload$"));
    return counters;
  }
}
