package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.v3.Snapshot;

/** What one proxy group is served right now, and the versions that identify it. */
record GroupSnapshot(String key, TypeVersions versions, Snapshot snapshot) {

  /** As {@link MeshSnapshot#retaining}: names a proxy may still subscribe to never vanish. */
  GroupSnapshot retaining(GroupSnapshot previous) {
    if (snapshot instanceof MeshSnapshot now
        && previous.snapshot() instanceof MeshSnapshot before) {
      MeshSnapshot kept = now.retaining(before);
      return kept == now ? this : new GroupSnapshot(key, versions, kept);
    }
    return this;
  }
}
