package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.v3.Snapshot;

/** What one proxy group is served right now, and the versions that identify it. */
record GroupSnapshot(String key, TypeVersions versions, Snapshot snapshot) {}
