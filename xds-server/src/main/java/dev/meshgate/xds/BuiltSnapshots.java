package dev.meshgate.xds;

import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.discovery.Endpoint;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The last snapshot built for each group, handed back while everything it was built from is the
 * same (issue 17.1): the same {@link PreparedGroup} instance (a policy reload that did not touch
 * the group keeps it), secrets of the same version, and the same endpoint list instance of every
 * service it uses (the publisher replaces a service's list whenever its endpoints change).
 *
 * <p>Why: a policy reload publishes every group, and building a group's snapshot makes and hashes a
 * load assignment per cluster (1,000 sidecars calling ten services each: 10,000 of them) even when
 * an edit touched one group. Equal inputs give an equal snapshot, so reuse changes only the cost.
 * Confined to the publisher thread.
 */
final class BuiltSnapshots {
  private record Built(
      PreparedGroup group,
      String secretsVersion,
      List<List<Endpoint>> endpoints,
      GroupSnapshot snapshot) {}

  private final Map<String, Built> byGroup = new HashMap<>();

  /** {@link SnapshotBuilder#build(PreparedGroup, Function, TypedResources)}, or its last result. */
  GroupSnapshot build(
      PreparedGroup group,
      Function<String, List<Endpoint>> endpointsOf,
      TypedResources<Secret> secrets) {
    List<List<Endpoint>> endpoints = new ArrayList<>(group.endpoints().size());
    for (ClusterEndpoints wanted : group.endpoints()) {
      endpoints.add(endpointsOf.apply(wanted.service()));
    }
    Built before = byGroup.get(group.key());
    if (before != null
        && before.group() == group
        && before.secretsVersion().equals(secrets.version())
        && sameInstances(before.endpoints(), endpoints)) {
      return before.snapshot();
    }
    GroupSnapshot snapshot = SnapshotBuilder.build(group, endpointsOf, secrets);
    byGroup.put(group.key(), new Built(group, secrets.version(), endpoints, snapshot));
    return snapshot;
  }

  /** Forgets the groups not in {@code keys}. */
  void retain(Set<String> keys) {
    byGroup.keySet().retainAll(keys);
  }

  private static boolean sameInstances(List<List<Endpoint>> a, List<List<Endpoint>> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }
}
