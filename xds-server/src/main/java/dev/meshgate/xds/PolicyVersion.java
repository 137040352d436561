package dev.meshgate.xds;

import dev.meshgate.compiler.ClusterEndpoints;
import java.util.SortedMap;

/**
 * The policy version: the same policy gives the same version on every replica. It hashes each
 * group's fingerprint, and a group's fingerprint is made once per prepared group ({@link
 * PreparedGroups}), so an edit of one group in a thousand hashes one group again, not the text of a
 * thousand groups and their ten thousand endpoint selections.
 */
final class PolicyVersion {
  private PolicyVersion() {}

  /** The version of a policy whose groups have these fingerprints, by group key. */
  static String of(SortedMap<String, String> fingerprints) {
    return ContentHash.ofEntries(fingerprints);
  }

  /** A hash of what one group asks for (not of the endpoints the catalog gives). */
  static String fingerprint(PreparedGroup g) {
    StringBuilder text = new StringBuilder();
    text.append(g.clusters().version())
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
    return ContentHash.of(text.toString());
  }
}
