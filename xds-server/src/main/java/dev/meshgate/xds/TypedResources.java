package dev.meshgate.xds;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The resources of one type for one group, each with its own content hash (delta xDS sends only
 * resources whose hash changed) and the type's version, a hash of those hashes.
 */
record TypedResources<T extends Message>(
    SortedMap<String, VersionedResource<T>> byName,
    SortedMap<String, String> versions,
    String version) {

  TypedResources {
    byName = Collections.unmodifiableSortedMap(byName);
    versions = Collections.unmodifiableSortedMap(versions);
  }

  static <T extends Message> TypedResources<T> of(List<T> resources) {
    SortedMap<String, VersionedResource<T>> byName = new TreeMap<>();
    SortedMap<String, String> versions = new TreeMap<>();
    for (T resource : resources) {
      String name = Resources.getResourceName(resource);
      // One serialization and one hash per resource instance: the bytes every proxy is sent
      // (PackedResources), hashed for the version. An instance another snapshot already holds (a
      // shared cluster, an interned load assignment, one an edit left unchanged) is looked up.
      String version = PackedResources.contentHash(resource);
      if (byName.put(name, VersionedResource.create(resource, version)) != null) {
        // Two resources with one name: Envoy would see only one of them. The compiler must not do
        // this.
        throw new IllegalArgumentException(
            "two "
                + resource.getDescriptorForType().getName()
                + " resources named \""
                + name
                + "\"");
      }
      versions.put(name, version);
    }
    return new TypedResources<>(byName, versions, ContentHash.ofEntries(versions));
  }

  /**
   * These resources plus every one of {@code previous} that is gone now, still served at its last
   * content but left out of {@link #versions()} and {@link #version()}. For the types a proxy
   * subscribes to by name (routes, endpoints, secrets) a name must never vanish from a snapshot:
   * Envoy keeps the subscription of a removed listener while it drains (and for good when the
   * listener comes back), and java-control-plane forgets a state-of-the-world watch it cannot
   * answer in full and stops tracking a delta resource once it sent its removal. Either way the
   * proxy would never get that name's later changes (issue 9.1). Nothing references a retained
   * resource, so Envoy never uses it; listeners and clusters, which carry what a proxy does, are
   * never retained.
   */
  TypedResources<T> retaining(TypedResources<T> previous) {
    if (byName.keySet().containsAll(previous.byName.keySet())) {
      return this;
    }
    SortedMap<String, VersionedResource<T>> all = new TreeMap<>(previous.byName);
    all.putAll(byName);
    return new TypedResources<>(all, versions, version);
  }

  SnapshotResources<T> toSnapshotResources() {
    return SnapshotResources.create(byName.values(), new HashVersionResolver(versions, version));
  }
}
