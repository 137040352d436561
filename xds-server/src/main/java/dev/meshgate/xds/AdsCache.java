package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;

/**
 * java-control-plane's snapshot cache, which answers the delta and per-type streams, also handing
 * every snapshot to the state-of-the-world ADS streams ({@link AdsGroups}) that answer themselves.
 */
final class AdsCache extends SimpleCache<String> {
  private final AdsGroups groups;

  AdsCache(AdsGroups groups) {
    super(NodeGroups::key);
    this.groups = groups;
  }

  @Override
  public void setSnapshot(String group, Snapshot snapshot) {
    super.setSnapshot(group, snapshot);
    groups.published(group, snapshot);
  }

  @Override
  public boolean clearSnapshot(String group) {
    boolean cleared = super.clearSnapshot(group);
    groups.cleared(group);
    return cleared;
  }
}
