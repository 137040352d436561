package dev.meshgate.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Routes each kind of {@link ServiceQuery} to the catalog that answers it: static sources to a
 * {@link StaticCatalog}, Consul and Kubernetes sources to their adapters when configured. A query
 * whose adapter is not configured is rejected with a message that says how to configure it. Closing
 * the composite closes every catalog it was given.
 */
public final class CompositeCatalog implements ServiceCatalog {
  private final ServiceCatalog statics;
  private final Optional<ServiceCatalog> consul;
  private final Optional<ServiceCatalog> kubernetes;

  public CompositeCatalog(
      ServiceCatalog statics,
      Optional<ServiceCatalog> consul,
      Optional<ServiceCatalog> kubernetes) {
    this.statics = Objects.requireNonNull(statics, "statics");
    this.consul = Objects.requireNonNull(consul, "consul");
    this.kubernetes = Objects.requireNonNull(kubernetes, "kubernetes");
  }

  /** Static sources only: what a server without discovery options uses. */
  public static CompositeCatalog staticOnly() {
    return new CompositeCatalog(new StaticCatalog(), Optional.empty(), Optional.empty());
  }

  @Override
  public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
    return switch (query) {
      case ServiceQuery.Static s -> statics.subscribe(s, listener);
      case ServiceQuery.Consul c ->
          consul
              .orElseThrow(() ->
                  new UnsupportedQueryException(
                      c,
                      "service source consul \""
                          + c.service()
                          + "\" needs a Consul connection: start meshgate serve with --consul"
                          + " HOST:PORT"))
              .subscribe(c, listener);
      case ServiceQuery.Kubernetes k ->
          kubernetes
              .orElseThrow(() ->
                  new UnsupportedQueryException(
                      k,
                      "service source kubernetes \""
                          + k.namespace()
                          + "/"
                          + k.name()
                          + "\" needs a Kubernetes connection: start meshgate serve with"
                          + " --kubernetes"))
              .subscribe(k, listener);
    };
  }

  @Override
  public List<Staleness> staleness() {
    List<Staleness> all = new ArrayList<>(statics.staleness());
    consul.ifPresent(c -> all.addAll(c.staleness()));
    kubernetes.ifPresent(k -> all.addAll(k.staleness()));
    return List.copyOf(all);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    List<ServiceCatalog> all = new ArrayList<>();
    kubernetes.ifPresent(all::add);
    consul.ifPresent(all::add);
    all.add(statics);
    for (ServiceCatalog catalog : all) {
      try {
        catalog.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
