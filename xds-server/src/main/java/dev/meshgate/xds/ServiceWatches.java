package dev.meshgate.xds;

import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.SecretStore;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The publisher's catalog subscriptions, one per service the served groups name, and each one's
 * latest endpoints. Confined to the publisher thread.
 */
final class ServiceWatches {
  private final ServiceCatalog catalog;
  private final Optional<SecretStore> secretStore;
  private final Map<String, ServiceWatch> watches = new HashMap<>();

  ServiceWatches(ServiceCatalog catalog, Optional<SecretStore> secretStore) {
    this.catalog = catalog;
    this.secretStore = secretStore;
  }

  /**
   * Subscribes to what {@code groups} name and cancels what they no longer do. All or nothing: if a
   * service cannot be watched, the new subscriptions are undone and the exception propagates.
   *
   * @return whether any subscription started (its service's endpoints are new to its groups)
   */
  boolean watch(List<ProxyResources> groups, Function<ServiceWatch, EndpointListener> listener) {
    // Hashed first: most services are named by ten groups or more (a sorted map per name was a
    // tenth of the publisher's work on an edit at 1,000 groups); sorted once for the subscriptions.
    Map<String, ServiceQuery> named = new HashMap<>();
    for (ProxyResources resources : groups) {
      SecretCredentials.requireStore(resources.secrets(), secretStore);
      for (ClusterEndpoints ce : resources.endpoints()) {
        if (!named.containsKey(ce.service())) {
          named.put(ce.service(), ServiceQueries.of(ce.service(), ce.source()));
        }
      }
    }
    Map<String, ServiceQuery> queries = new TreeMap<>(named);
    Map<String, ServiceWatch> started = new LinkedHashMap<>();
    try {
      for (var entry : queries.entrySet()) {
        ServiceWatch current = watches.get(entry.getKey());
        if (current == null || !current.query.equals(entry.getValue())) {
          ServiceWatch watch = new ServiceWatch(entry.getKey(), entry.getValue());
          started.put(entry.getKey(), watch);
          watch.subscription = catalog.subscribe(watch.query, listener.apply(watch));
        }
      }
    } catch (RuntimeException e) {
      started.values().forEach(ServiceWatch::cancel);
      throw e;
    }
    for (var entry : started.entrySet()) {
      ServiceWatch old = watches.put(entry.getKey(), entry.getValue());
      if (old != null) {
        old.cancel();
      }
    }
    watches
        .keySet()
        .removeIf(service -> {
          if (queries.containsKey(service)) {
            return false;
          }
          watches.get(service).cancel();
          return true;
        });
    return !started.isEmpty();
  }

  /** Whether {@code watch} is the service's current subscription. */
  boolean current(ServiceWatch watch) {
    return watches.get(watch.service) == watch;
  }

  /** The service's latest endpoints; none while it is not watched. */
  List<Endpoint> endpointsOf(String service) {
    ServiceWatch watch = watches.get(service);
    return watch == null ? List.of() : watch.endpoints;
  }

  void cancelAll() {
    watches.values().forEach(ServiceWatch::cancel);
    watches.clear();
  }
}
