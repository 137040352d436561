package dev.meshgate.xds;

import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.ServiceQuery;
import java.util.Optional;

/** Maps the compiler's view of where endpoints come from to the catalog's query. */
final class ServiceQueries {
  /** The static endpoint label that names the endpoint's zone (locality-aware balancing). */
  static final String ZONE_LABEL = "zone";

  private ServiceQueries() {}

  /**
   * The catalog query for {@code service}'s source.
   *
   * @throws UnsupportedServiceSourceException for Consul and Kubernetes sources: the checker
   *     rejects them today, and this server has no such catalog yet
   */
  static ServiceQuery of(String service, ServiceSource source) {
    return switch (source) {
      case ServiceSource.Static s ->
          new ServiceQuery.Static(
              s.endpoints().stream()
                  .map(
                      e ->
                          new Endpoint(
                              e.host(),
                              e.port(),
                              e.labels(),
                              Optional.ofNullable(e.labels().get(ZONE_LABEL)),
                              true))
                  .toList());
      case ServiceSource.Consul c ->
          throw new UnsupportedServiceSourceException(
              service, "consul \"" + c.service() + "\"");
      case ServiceSource.Kubernetes k ->
          throw new UnsupportedServiceSourceException(
              service, "kubernetes \"" + k.namespace() + "/" + k.name() + "\" port " + k.port());
    };
  }

  /** A service's endpoint source that this server cannot watch yet. */
  static final class UnsupportedServiceSourceException extends RuntimeException {
    UnsupportedServiceSourceException(String service, String source) {
      super(
          "service \""
              + service
              + "\" takes its endpoints from "
              + source
              + ", but this server only serves static sources so far");
    }
  }
}
