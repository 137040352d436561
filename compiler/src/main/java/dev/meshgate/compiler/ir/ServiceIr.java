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

  /**
   * The cluster settings of one of the service's clusters ({@code catalog} or {@code catalog.v2}):
   * the service's, with a subset's own on top (issue 14).
   */
  public ClusterSettingsIr clusterSettings(String cluster) {
    String prefix = name + ".";
    if (!cluster.startsWith(prefix)) {
      return clusterSettings;
    }
    String subset = cluster.substring(prefix.length());
    return subsets.stream()
        .filter(s -> s.name().equals(subset))
        .findFirst()
        .map(s -> clusterSettings.overriddenBy(s.clusterSettings()))
        .orElse(clusterSettings);
  }

  /** A service without cluster settings. */
  public ServiceIr(String name, Protocol protocol, ServiceSource source, List<SubsetIr> subsets) {
    this(name, protocol, source, subsets, ClusterSettingsIr.NONE);
  }
}
