package dev.meshgate.xds;

import dev.meshgate.compiler.ProxyResources;
import java.util.ArrayList;
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
 * made. {@code changes} says what this changed against the groups it was made from ({@link #next}).
 */
record PreparedGroups(
    SortedMap<String, PreparedGroup> groups,
    Map<String, ProxyResources> from,
    SortedMap<String, String> fingerprints,
    Changes changes) {
  static final PreparedGroups NONE =
      new PreparedGroups(
          new TreeMap<>(), Map.of(), new TreeMap<>(), new Changes(Set.of(), Set.of(), true));

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
   * What one {@link #next} changed: the groups whose prepared form is new (added or changed) and
   * the groups gone. {@code sameWants}: no group came or went and every changed group wants the
   * endpoints of the same services as before, so the catalog subscriptions stay.
   */
  record Changes(Set<String> changed, Set<String> removed, boolean sameWants) {
    Changes {
      changed = Set.copyOf(changed);
      removed = Set.copyOf(removed);
    }
  }

  /**
   * {@code resources} prepared, reusing each group of this that was prepared from the same. The
   * sorted maps are copied (linear) and only the changed groups put: at 1,000 groups, building them
   * entry by entry on every reload was most of a one-group edit's publisher work.
   */
  PreparedGroups next(List<ProxyResources> resources) {
    Map<String, ProxyResources> sources = new HashMap<>(resources.size() * 2);
    List<ProxyResources> fresh = new ArrayList<>();
    int kept = 0;
    for (ProxyResources r : resources) {
      String key = r.group().key();
      sources.put(key, r);
      ProxyResources before = from.get(key);
      if (before != null) {
        kept++;
      }
      if (before != r) {
        fresh.add(r);
      }
    }
    TreeMap<String, PreparedGroup> prepared = new TreeMap<>(groups);
    TreeMap<String, String> printed = new TreeMap<>(fingerprints);
    Set<String> removed = new HashSet<>();
    if (kept < groups.size()) {
      for (String key : groups.keySet()) {
        if (!sources.containsKey(key)) {
          removed.add(key);
        }
      }
      prepared.keySet().removeAll(removed);
      printed.keySet().removeAll(removed);
    }
    Set<String> changed = new HashSet<>();
    boolean sameWants = removed.isEmpty();
    for (ProxyResources r : fresh) {
      String key = r.group().key();
      PreparedGroup group = PreparedGroup.of(r);
      PreparedGroup old = prepared.put(key, group);
      printed.put(key, PolicyVersion.fingerprint(group));
      changed.add(key);
      sameWants &= old != null && old.endpoints().equals(group.endpoints());
    }
    return new PreparedGroups(prepared, sources, printed, new Changes(changed, removed, sameWants));
  }
}
