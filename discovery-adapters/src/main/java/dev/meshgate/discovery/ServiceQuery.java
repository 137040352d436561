package dev.meshgate.discovery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to look up in a catalog: one service's endpoints. Queries are values (records), so a
 * consumer can tell whether a policy change altered a service's query and keep the existing
 * subscription when it did not.
 */
public sealed interface ServiceQuery {

  /** Endpoints written in the policy itself: the answer is the query. */
  record Static(List<Endpoint> endpoints) implements ServiceQuery {
    public Static {
      endpoints = endpoints.stream().sorted(Endpoint.ORDER).toList();
    }
  }

  /**
   * A Consul service, optionally restricted to one datacenter. Reserved: no catalog answers it
   * yet (the Consul adapter implements it).
   */
  record Consul(String service, Optional<String> datacenter) implements ServiceQuery {
    public Consul {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(datacenter, "datacenter");
    }
  }

  /**
   * The endpoints of a Kubernetes Service port (by port name). Reserved: no catalog answers it
   * yet (the Kubernetes adapter implements it, from EndpointSlices).
   */
  record Kubernetes(String namespace, String name, String port) implements ServiceQuery {
    public Kubernetes {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(port, "port");
    }
  }
}
