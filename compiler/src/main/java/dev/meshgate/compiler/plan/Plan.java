package dev.meshgate.compiler.plan;

import java.util.List;

/**
 * The effect of a policy change: every proxy group of either side, in {@link
 * dev.meshgate.compiler.ProxyGroup} order (gateways, then sidecars, each by name), unchanged ones
 * included so a report can say what stays as it is.
 */
public record Plan(List<GroupPlan> groups) {
  public Plan {
    groups = List.copyOf(groups);
  }

  public boolean hasChanges() {
    return groups.stream().anyMatch(g -> g.change() != Change.UNCHANGED);
  }

  /** The groups that are added, removed or changed. */
  public List<GroupPlan> changedGroups() {
    return groups.stream().filter(g -> g.change() != Change.UNCHANGED).toList();
  }

  /** How many resources change across all groups, by kind of change (added, removed, changed). */
  public long count(Change change) {
    return groups.stream()
        .flatMap(g -> g.resources().stream())
        .filter(r -> r.change() == change)
        .count();
  }
}
