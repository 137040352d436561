package dev.meshgate.compiler.plan;

import dev.meshgate.compiler.ProxyGroup;
import java.util.List;
import java.util.Objects;

/**
 * What changes for one proxy group. Every change reaches every proxy of the group, since all of a
 * group's proxies are served the same resources. An ADDED group lists all its resources as added, a
 * REMOVED one all as removed; an UNCHANGED group has no resource changes.
 */
public record GroupPlan(ProxyGroup group, Change change, List<ResourceChange> resources) {
  public GroupPlan {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(change, "change");
    resources = List.copyOf(resources);
  }

  /** The changes of one kind, in name order. */
  public List<ResourceChange> resources(ResourceKind kind) {
    return resources.stream().filter(r -> r.kind() == kind).toList();
  }
}
