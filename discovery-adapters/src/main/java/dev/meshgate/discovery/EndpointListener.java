package dev.meshgate.discovery;

import java.util.List;

/**
 * Receives a subscription's endpoints. Calls for one subscription never overlap and arrive in
 * order; they may come from any thread, and the first may come before {@link
 * ServiceCatalog#subscribe} returns (a static catalog knows the answer at once). A listener must
 * return quickly: adapters call it from their watch thread.
 */
@FunctionalInterface
public interface EndpointListener {

  /**
   * The complete, current endpoint list of the service (healthy and unhealthy, sorted by {@link
   * Endpoint#ORDER}), sent first when known and again whenever it changes. An empty list is a real
   * answer: the service has no instances.
   */
  void onEndpoints(List<Endpoint> endpoints);

  /**
   * The catalog cannot currently answer (for example Consul is unreachable). The subscription stays
   * alive and retries; consumers should keep the last list they got. Default: ignore.
   */
  default void onError(Throwable error) {}
}
