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
   * A Consul service's passing instances, optionally from one datacenter (default: the agent's) and
   * restricted to instances carrying one tag. Answered by {@code
   * dev.meshgate.discovery.consul.ConsulCatalog}.
   */
  record Consul(String service, Optional<String> datacenter, Optional<String> tag)
      implements ServiceQuery {
    public Consul {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(datacenter, "datacenter");
      Objects.requireNonNull(tag, "tag");
    }

    /** Any instance of {@code service}, whatever its tags. */
    public Consul(String service, Optional<String> datacenter) {
      this(service, datacenter, Optional.empty());
    }

    /** {@code service}, {@code service@dc}, {@code service[tag]@dc}: for logs and messages. */
    public String describe() {
      return service
          + tag.map(t -> "[" + t + "]").orElse("")
          + datacenter.map(d -> "@" + d).orElse("");
    }
  }

  /**
   * The endpoints of a Kubernetes Service port (by port name). Reserved: no catalog answers it yet
   * (the Kubernetes adapter implements it, from EndpointSlices).
   */
  record Kubernetes(String namespace, String name, String port) implements ServiceQuery {
    public Kubernetes {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(port, "port");
    }
  }
}
