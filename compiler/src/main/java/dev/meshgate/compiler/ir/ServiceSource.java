package dev.meshgate.compiler.ir;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Where a service's endpoints come from. */
public sealed interface ServiceSource {

  /** Endpoints written in the policy itself. */
  record Static(List<StaticEndpoint> endpoints) implements ServiceSource {
    public Static {
      endpoints = List.copyOf(endpoints);
    }
  }

  /**
   * A Consul service: its passing instances, optionally from another datacenter and only those
   * carrying a tag.
   */
  record Consul(String service, Optional<String> datacenter, Optional<String> tag)
      implements ServiceSource {
    public Consul(String service) {
      this(service, Optional.empty(), Optional.empty());
    }
  }

  /** A Kubernetes Service's ready endpoints, at the Service port named or numbered {@code port}. */
  record Kubernetes(String namespace, String name, String port) implements ServiceSource {}

  /**
   * One endpoint of a static source, with the labels subsets select on and the hostname EDS carries
   * ({@code rewrite host to-endpoint} sends it as Host).
   */
  record StaticEndpoint(
      String host, int port, Optional<String> hostname, SortedMap<String, String> labels) {
    public StaticEndpoint {
      labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /** An endpoint without hostname. */
    public StaticEndpoint(String host, int port, SortedMap<String, String> labels) {
      this(host, port, Optional.empty(), labels);
    }
  }
}
