package dev.meshgate.xds;

import dev.meshgate.compiler.ProxyResources;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every group of the served policy, prepared (hashed) for its snapshots, by group key, the {@link
 * ProxyResources} each was prepared from, and each group's {@link PolicyVersion#fingerprint}. An
 * incremental compile hands back the very resources of a group it did not translate again (issue
 * 17.1), and such a group keeps its prepared form and fingerprint: its hashes are the ones already
 * made.
 */
record PreparedGroups(
    SortedMap<String, PreparedGroup> groups,
    Map<String, ProxyResources> from,
    SortedMap<String, String> fingerprints) {
  static final PreparedGroups NONE = new PreparedGroups(new TreeMap<>(), Map.of(), new TreeMap<>());

  PreparedGroups {
    groups = Collections.unmodifiableSortedMap(groups);
    from = Collections.unmodifiableMap(from);
    fingerprints = Collections.unmodifiableSortedMap(fingerprints);
  }

  /** The policy's version ({@link PolicyVersion}). */
  String version() {
    return PolicyVersion.of(fingerprints);
  }

  /**
   * What an apply of {@code next} after this changes: the groups whose prepared form is new (added
   * or changed) and the groups gone. {@code sameWants}: no group came or went and every changed
   * group wants the endpoints of the same services as before, so the catalog subscriptions stay.
   */
  record Changes(Set<String> changed, Set<String> removed, boolean sameWants) {
    Changes {
      changed = Set.copyOf(changed);
      removed = Set.copyOf(removed);
    }
  }

  Changes changesTo(PreparedGroups next) {
    Set<String> changed = new HashSet<>();
    boolean sameWants = next.groups.size() == groups.size();
    for (var entry : next.groups.entrySet()) {
      PreparedGroup old = groups.get(entry.getKey());
      if (old != entry.getValue()) {
        changed.add(entry.getKey());
        sameWants &= old != null && old.endpoints().equals(entry.getValue().endpoints());
      }
    }
    Set<String> removed = new HashSet<>(groups.keySet());
    removed.removeAll(next.groups.keySet());
    return new Changes(changed, removed, sameWants && removed.isEmpty());
  }

  /** {@code resources} prepared, reusing each group of this that was prepared from the same. */
  PreparedGroups next(List<ProxyResources> resources) {
    SortedMap<String, PreparedGroup> prepared = new TreeMap<>();
    Map<String, ProxyResources> sources = new HashMap<>();
    SortedMap<String, String> printed = new TreeMap<>();
    for (ProxyResources r : resources) {
      String key = r.group().key();
      PreparedGroup before = groups.get(key);
      if (before != null && from.get(key) == r) {
        prepared.put(key, before);
        printed.put(key, fingerprints.get(key));
      } else {
        PreparedGroup group = PreparedGroup.of(r);
        prepared.put(key, group);
        printed.put(key, PolicyVersion.fingerprint(group));
      }
      sources.put(key, r);
    }
    return new PreparedGroups(prepared, sources, printed);
  }
}
