package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.v3.Snapshot;

/** An ADS stream of ours that {@link AdsGroups} hands its group's snapshots to. */
interface AdsStream {
  /** A new snapshot of the stream's group: answer what it changes. */
  void published(Snapshot snapshot);
}
