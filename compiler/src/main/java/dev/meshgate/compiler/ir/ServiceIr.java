package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * A service as declared: where its endpoints come from, what it speaks, its subsets, and its
 * cluster settings (issue 14), which every cluster towards it carries.
 */
public record ServiceIr(
    String name,
    Protocol protocol,
    ServiceSource source,
    List<SubsetIr> subsets,
    ClusterSettingsIr clusterSettings) {
  public ServiceIr {
    subsets = List.copyOf(subsets);
  }

  /** A service without cluster settings. */
  public ServiceIr(String name, Protocol protocol, ServiceSource source, List<SubsetIr> subsets) {
    this(name, protocol, source, subsets, ClusterSettingsIr.NONE);
  }
}
