package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.ResourceVersionResolver;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The version of a requested subset of one type's resources: the hash of the requested resources'
 * hashes. When an Envoy asks for all of them (the usual ADS case) that is the type's version; a
 * state-of-the-world client watching only some clusters' endpoints is not re-sent anything when
 * only other clusters' endpoints changed (java-control-plane issue #89).
 */
final class HashVersionResolver implements ResourceVersionResolver {
  private final SortedMap<String, String> versions;
  private final String all;

  /** The last subset asked for and its version. */
  private record Answer(List<String> names, String version) {}

  private volatile @Nullable Answer lastAnswer;

  HashVersionResolver(SortedMap<String, String> versions, String all) {
    this.versions = versions;
    this.all = all;
  }

  @Override
  public String version() {
    return all;
  }

  @Override
  public String version(List<String> resourceNames) {
    if (resourceNames.isEmpty()) {
      return all;
    }
    // Asked for every watch on every push, and a group's proxies ask for the same names.
    Answer last = lastAnswer;
    if (last != null && last.names().equals(resourceNames)) {
      return last.version();
    }
    String version = subsetVersion(resourceNames);
    lastAnswer = new Answer(List.copyOf(resourceNames), version);
    return version;
  }

  private String subsetVersion(List<String> resourceNames) {
    SortedMap<String, String> subset = new TreeMap<>();
    for (String name : resourceNames) {
      String version = versions.get(name);
      if (version != null) {
        subset.put(name, version);
      }
    }
    return subset.size() == versions.size() ? all : ContentHash.ofEntries(subset);
  }
}
