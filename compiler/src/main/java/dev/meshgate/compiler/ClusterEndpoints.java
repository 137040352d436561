package dev.meshgate.compiler;

import dev.meshgate.compiler.ir.ServiceSource;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an EDS cluster needs from the service catalog: the endpoints of {@code service} (found
 * through {@code source}) whose labels include every {@code selector} entry. {@code localZone} is
 * the zone of the proxy that uses the cluster ({@code zone "…"} on its gateway or sidecar): its
 * endpoints there get Envoy priority 0, the others priority 1 (failover).
 */
public record ClusterEndpoints(
    String cluster,
    String service,
    ServiceSource source,
    SortedMap<String, String> selector,
    Optional<String> localZone) {
  public ClusterEndpoints {
    selector = Collections.unmodifiableSortedMap(new TreeMap<>(selector));
  }

  /** Endpoints of a proxy that prefers no zone. */
  public ClusterEndpoints(
      String cluster, String service, ServiceSource source, SortedMap<String, String> selector) {
    this(cluster, service, source, selector, Optional.empty());
  }
}
