package dev.meshgate.compiler.ir;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A named slice of a service's endpoints: those whose labels include every selector entry. {@code
 * clusterSettings} are the ones the subset writes itself (issue 14); its cluster carries the
 * service's with these on top ({@link ServiceIr#clusterSettings(String)}).
 */
public record SubsetIr(
    String name, SortedMap<String, String> selector, ClusterSettingsIr clusterSettings) {
  public SubsetIr {
    selector = Collections.unmodifiableSortedMap(new TreeMap<>(selector));
  }

  /** A subset without cluster settings of its own. */
  public SubsetIr(String name, SortedMap<String, String> selector) {
    this(name, selector, ClusterSettingsIr.NONE);
  }
}
