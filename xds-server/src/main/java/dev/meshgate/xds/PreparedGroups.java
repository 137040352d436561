package dev.meshgate.xds;

import dev.meshgate.compiler.ProxyResources;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every group of the served policy, prepared (hashed) for its snapshots, by group key, and the
 * {@link ProxyResources} each was prepared from. An incremental compile hands back the very
 * resources of a group it did not translate again (issue 17.1), and such a group keeps its prepared
 * form: its hashes are the ones already made.
 */
record PreparedGroups(SortedMap<String, PreparedGroup> groups, Map<String, ProxyResources> from) {
  static final PreparedGroups NONE = new PreparedGroups(new TreeMap<>(), Map.of());

  PreparedGroups {
    groups = Collections.unmodifiableSortedMap(groups);
    from = Collections.unmodifiableMap(from);
  }

  /** {@code resources} prepared, reusing each group of this that was prepared from the same. */
  PreparedGroups next(List<ProxyResources> resources) {
    SortedMap<String, PreparedGroup> prepared = new TreeMap<>();
    Map<String, ProxyResources> sources = new HashMap<>();
    for (ProxyResources r : resources) {
      String key = r.group().key();
      PreparedGroup before = groups.get(key);
      prepared.put(key, before != null && from.get(key) == r ? before : PreparedGroup.of(r));
      sources.put(key, r);
    }
    return new PreparedGroups(prepared, sources);
  }
}
