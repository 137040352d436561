package dev.meshgate.compiler;

import dev.meshgate.compiler.ir.ServiceSource;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an EDS cluster needs from the service catalog: the endpoints of {@code service} (found
 * through {@code source}) whose labels include every {@code selector} entry.
 */
public record ClusterEndpoints(
    String cluster, String service, ServiceSource source, SortedMap<String, String> selector) {
  public ClusterEndpoints {
    selector = Collections.unmodifiableSortedMap(new TreeMap<>(selector));
  }
}
