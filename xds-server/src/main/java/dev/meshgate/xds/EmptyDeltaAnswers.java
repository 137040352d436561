package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Answers a delta xDS client's first wildcard subscription to a type its group has no resources of,
 * with an empty response, on java-control-plane's per-type delta services ({@link DeltaStream}
 * answers delta ADS the same way).
 *
 * <p>java-control-plane's cache answers a delta watch only with changed or removed resources, so a
 * gateway without clusters (it only answers directly) or a group without listeners got no answer,
 * and Envoy waited for its initial fetch timeout (15 s) before going on. State of the world answers
 * such a type with an empty list at once; this makes delta do the same. The open watch stays with
 * the cache: once Envoy acknowledges the empty answer, the stream watches from its version as
 * usual, and a later snapshot with resources of the type reaches it normally.
 */
final class EmptyDeltaAnswers implements ConfigWatcher {
  private final ConfigWatcher next;
  private final SimpleCache<String> cache;

  EmptyDeltaAnswers(ConfigWatcher next, SimpleCache<String> cache) {
    this.next = next;
    this.cache = cache;
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    return next.createWatch(
        ads,
        request,
        knownResourceNames,
        responseConsumer,
        hasClusterChanged,
        allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(
      DeltaXdsRequest request,
      String requesterVersion,
      Map<String, String> resourceVersions,
      Set<String> pendingResources,
      boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer,
      boolean hasClusterChanged) {
    AtomicBoolean answered = new AtomicBoolean();
    DeltaWatch watch =
        next.createDeltaWatch(
            request,
            requesterVersion,
            resourceVersions,
            pendingResources,
            isWildcard,
            response -> {
              answered.set(true);
              responseConsumer.accept(response);
            },
            hasClusterChanged);
    boolean firstOnStream = requesterVersion.isEmpty();
    if (answered.get() || !firstOnStream || !isWildcard || request.getResourceType() == null) {
      return watch;
    }
    Snapshot snapshot = cache.getSnapshot(NodeGroups.key(request.v3Request().getNode()));
    if (snapshot != null && snapshot.versionedResources(request.getResourceType()).isEmpty()) {
      String version = snapshot.version(request.getResourceType(), List.of());
      responseConsumer.accept(DeltaResponse.create(request, Map.of(), List.of(), version));
    }
    return watch;
  }
}
