package dev.meshgate.xds;

import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.ServiceQuery;
import java.util.Optional;

/**
 * Maps the compiler's view of where endpoints come from to the catalog's query. Equal sources give
 * equal queries, so the publisher keeps a service's subscription across policy reloads that do not
 * change its source.
 */
public final class ServiceQueries {
  /** The static endpoint label that names the endpoint's zone (locality-aware balancing). */
  static final String ZONE_LABEL = "zone";

  private ServiceQueries() {}

  /**
   * The catalog query for {@code service}'s source. A catalog without the matching adapter rejects
   * the query when subscribed to ({@link dev.meshgate.discovery.CompositeCatalog} says which option
   * enables it).
   */
  public static ServiceQuery of(String service, ServiceSource source) {
    return switch (source) {
      case ServiceSource.Static s ->
          new ServiceQuery.Static(
              s.endpoints().stream()
                  .map(e ->
                      new Endpoint(
                          e.host(),
                          e.port(),
                          e.labels(),
                          Optional.ofNullable(e.labels().get(ZONE_LABEL)),
                          true,
                          e.hostname()))
                  .toList());
      case ServiceSource.Consul c -> new ServiceQuery.Consul(c.service(), c.datacenter(), c.tag());
      case ServiceSource.Kubernetes k ->
          new ServiceQuery.Kubernetes(k.namespace(), k.name(), k.port());
    };
  }
}
