package dev.meshgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.compiler.ProxyResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** Reading meshgate's /status: groups, connected proxies and what each has ACKed. */
final class XdsStatus {
  static final List<String> TYPES = List.of("clusters", "endpoints", "listeners", "routes");

  private XdsStatus() {}

  static Optional<JsonNode> proxy(JsonNode status, String nodeId) {
    return StreamSupport.stream(status.path("proxies").spliterator(), false)
        .filter(p -> p.path("id").asText().equals(nodeId))
        .findFirst();
  }

  static Optional<JsonNode> group(JsonNode status, String groupKey) {
    return StreamSupport.stream(status.path("groups").spliterator(), false)
        .filter(g -> g.path("key").asText().equals(groupKey))
        .findFirst();
  }

  /**
   * Waits until proxy {@code nodeId} has ACKed, for every resource type, exactly the version its
   * group is at now; returns that /status document.
   */
  static JsonNode awaitAllAcked(
      MeshgateProcess meshgate, String nodeId, String groupKey, Duration timeout) {
    return awaitAcked(meshgate, nodeId, groupKey, TYPES, timeout);
  }

  /** The types {@code group} has resources of: the ones its Envoys subscribe to and ACK. */
  static List<String> typesOf(ProxyResources group) {
    List<String> types = new ArrayList<>();
    if (!group.clusters().isEmpty()) {
      types.add("clusters");
    }
    if (!group.endpoints().isEmpty()) {
      types.add("endpoints");
    }
    if (!group.listeners().isEmpty()) {
      types.add("listeners");
    }
    if (!group.routes().isEmpty()) {
      types.add("routes");
    }
    return types;
  }

  /**
   * As {@link #awaitAllAcked}, for the given types only: an Envoy never subscribes to a type its
   * config does not use (a sidecar that calls no one has no EDS clusters), so it never ACKs one.
   */
  static JsonNode awaitAcked(
      MeshgateProcess meshgate,
      String nodeId,
      String groupKey,
      List<String> types,
      Duration timeout) {
    return Wait.until(
        timeout,
        "proxy " + nodeId + " to ACK the current versions of " + groupKey + " in /status",
        () -> {
          JsonNode status = meshgate.status();
          Optional<JsonNode> proxy = proxy(status, nodeId);
          Optional<JsonNode> group = group(status, groupKey);
          if (proxy.isEmpty() || group.isEmpty()) {
            throw new AssertionError(
                "no proxy " + nodeId + " or group " + groupKey + " in " + status);
          }
          for (String type : types) {
            String version = group.get().path("versions").path(type).asText("");
            String acked = proxy.get().path("xds").path(type).path("ackedVersion").asText("");
            if (version.isEmpty() || !version.equals(acked)) {
              throw new AssertionError(
                  type + ": group at " + version + ", proxy acked " + acked + " in " + status);
            }
          }
          return Optional.of(status);
        });
  }
}
