package dev.meshgate.benchmarks;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Subscription;
import dev.meshgate.discovery.UnsupportedQueryException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The load harness's endpoint source: static queries answered at once (as {@link
 * dev.meshgate.discovery.StaticCatalog} does), and {@code source consul "NAME"} answered from
 * endpoints the harness sets, without any Consul, so an endpoint change costs the server what a
 * real catalog push costs it.
 */
final class HarnessCatalog implements ServiceCatalog, HarnessEndpoints {
  private record Watch(String service, EndpointListener listener) {}

  private final Map<String, List<Endpoint>> endpoints = new ConcurrentHashMap<>();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();

  /** Sets the endpoints of {@code service} and tells every subscriber, on this thread. */
  @Override
  public void set(String service, List<Endpoint> list) {
    List<Endpoint> sorted = list.stream().sorted(Endpoint.ORDER).toList();
    endpoints.put(service, sorted);
    for (Watch watch : watches) {
      if (watch.service().equals(service)) {
        watch.listener().onEndpoints(sorted);
      }
    }
  }

  @Override
  public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
    return switch (query) {
      case ServiceQuery.Static s -> {
        listener.onEndpoints(s.endpoints());
        yield () -> {};
      }
      case ServiceQuery.Consul c -> {
        Watch watch = new Watch(c.service(), listener);
        watches.add(watch);
        listener.onEndpoints(endpoints.getOrDefault(c.service(), List.of()));
        yield () -> watches.remove(watch);
      }
      case ServiceQuery.Kubernetes k ->
          throw new UnsupportedQueryException(k, "the load harness has no Kubernetes");
    };
  }

  @Override
  public void close() {
    watches.clear();
  }
}
