package dev.meshgate.compiler.ir;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An upstream cluster: a whole service ({@code catalog}) or one subset ({@code catalog.v2}).
 * Its endpoints are the service's endpoints whose labels include every {@code selector} entry.
 */
public record ClusterIr(
    String name, String service, Protocol protocol, SortedMap<String, String> selector) {
  public ClusterIr {
    selector = Collections.unmodifiableSortedMap(new TreeMap<>(selector));
  }
}
