package dev.meshgate.xds;

import dev.meshgate.compiler.ClusterEndpoints;
import java.util.SortedMap;

/** The policy version: the same policy gives the same version on every replica. */
final class PolicyVersion {
  private PolicyVersion() {}

  /** A hash of what the policy asks for (not of the endpoints the catalog gives). */
  static String of(SortedMap<String, PreparedGroup> groups) {
    StringBuilder text = new StringBuilder();
    groups.forEach((key, g) -> {
      text.append(key)
          .append(' ')
          .append(g.clusters().version())
          .append(' ')
          .append(g.listeners().version())
          .append(' ')
          .append(g.routes().version())
          .append(' ')
          .append(g.identity().orElse("-"))
          .append('\n');
      for (ClusterEndpoints ce : g.endpoints()) {
        text.append(ce).append('\n');
      }
    });
    return ContentHash.of(text.toString());
  }
}
