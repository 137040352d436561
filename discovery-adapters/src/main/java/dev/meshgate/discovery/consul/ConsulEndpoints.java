package dev.meshgate.discovery.consul;

import dev.meshgate.discovery.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.kiwiproject.consul.model.health.Node;
import org.kiwiproject.consul.model.health.Service;
import org.kiwiproject.consul.model.health.ServiceHealth;

/**
 * How a Consul service instance becomes an {@link Endpoint}:
 *
 * <ul>
 *   <li>address: the service's {@code Address}, or the node's when the service has none (as
 *       Consul's own DNS does);
 *   <li>labels: every {@code Service.Meta} entry as is, and every tag {@code t} as label {@code
 *       tag:t} with value {@code "true"} (Consul meta keys cannot contain {@code :}, so the two
 *       never collide), so {@code subset canary where "tag:canary" = "true"} selects tagged
 *       instances and {@code subset v2 where version = "v2"} selects on meta;
 *   <li>zone: the node metadata entry named by the zone key (default {@code zone}).
 * </ul>
 *
 * Instances without a usable port are left out (Envoy cannot send traffic to them); two instances
 * at one address are served once.
 */
public final class ConsulEndpoints {
  /** The prefix of tag labels: tag {@code canary} is label {@code tag:canary}. */
  public static final String TAG_PREFIX = "tag:";

  /** The value of every tag label. */
  public static final String TAG_VALUE = "true";

  private ConsulEndpoints() {}

  /**
   * The endpoints of {@code instances} in {@link Endpoint#ORDER}; all healthy (Consul filtered).
   */
  public static List<Endpoint> of(List<ServiceHealth> instances, String zoneKey) {
    Map<String, Endpoint> byAddress = new LinkedHashMap<>();
    List<ServiceHealth> sorted = new ArrayList<>(instances);
    sorted.sort(
        java.util.Comparator.comparing((ServiceHealth h) -> h.getNode().getNode())
            .thenComparing(h -> h.getService().getId()));
    for (ServiceHealth instance : sorted) {
      of(instance, zoneKey).ifPresent(e -> byAddress.putIfAbsent(e.host() + ":" + e.port(), e));
    }
    return byAddress.values().stream().sorted(Endpoint.ORDER).toList();
  }

  /** One instance's endpoint; empty when it has no address or no port. */
  public static Optional<Endpoint> of(ServiceHealth instance, String zoneKey) {
    Service service = instance.getService();
    Node node = instance.getNode();
    String host =
        service.getAddress() == null || service.getAddress().isBlank()
            ? node.getAddress()
            : service.getAddress();
    if (host == null || host.isBlank() || service.getPort() < 1 || service.getPort() > 65535) {
      return Optional.empty();
    }
    SortedMap<String, String> labels = new TreeMap<>();
    if (service.getMeta() != null) {
      labels.putAll(service.getMeta());
    }
    if (service.getTags() != null) {
      for (String tag : service.getTags()) {
        labels.put(TAG_PREFIX + tag, TAG_VALUE);
      }
    }
    Optional<String> zone =
        node.getNodeMeta().map(meta -> meta.get(zoneKey)).filter(z -> !z.isBlank());
    // A Consul agent names its node after the machine's hostname unless told otherwise.
    Optional<String> hostname = Optional.ofNullable(node.getNode()).filter(n -> !n.isBlank());
    return Optional.of(new Endpoint(host, service.getPort(), labels, zone, true, hostname));
  }
}
