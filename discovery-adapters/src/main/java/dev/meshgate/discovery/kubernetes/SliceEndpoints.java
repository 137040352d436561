package dev.meshgate.discovery.kubernetes;

import dev.meshgate.discovery.Endpoint;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a Service's EndpointSlices into the catalog's endpoint list. A pure function of the
 * informer caches, so it is tested without an API server.
 */
final class SliceEndpoints {

  /** The endpoint list, and why it may be empty when the query does not fit the Service. */
  record Result(List<Endpoint> endpoints, Optional<String> problem) {}

  private SliceEndpoints() {}

  /**
   * @param service the Service object, when the informer has it
   * @param slices every EndpointSlice labelled with the Service's name
   * @param podLabels labels of a pod in the Service's namespace by pod name (empty map if unknown)
   */
  static Result compute(
      String namespace,
      String name,
      PortSelector port,
      Optional<Service> service,
      List<EndpointSlice> slices,
      Function<String, Map<String, String>> podLabels) {
    String where = "Service " + namespace + "/" + name;
    String portName;
    Optional<String> problem = Optional.empty();
    switch (port) {
      case PortSelector.Named n -> {
        portName = n.name();
        // Slices carry the Service's port names, so they answer alone; the Service only explains
        // an empty answer.
        if (service.isEmpty()) {
          problem = Optional.of(where + " not found");
        } else if (servicePorts(service.get()).stream()
            .noneMatch(sp -> n.name().equals(nameOf(sp.getName())))) {
          problem =
              Optional.of(
                  where
                      + " has no port named \""
                      + n.name()
                      + "\"; it has "
                      + describePorts(service.get()));
        }
      }
      case PortSelector.Numbered num -> {
        if (service.isEmpty()) {
          return new Result(List.of(), Optional.of(where + " not found"));
        }
        // The query names the Service port; the slices list the target (container) port under
        // the Service port's name, which may differ from the number.
        Optional<ServicePort> sp =
            servicePorts(service.get()).stream()
                .filter(p ->
                    p.getPort() != null && p.getPort() == num.number() && isTcp(p.getProtocol()))
                .findFirst();
        if (sp.isEmpty()) {
          return new Result(
              List.of(),
              Optional.of(
                  where
                      + " has no TCP port "
                      + num.number()
                      + "; it has "
                      + describePorts(service.get())));
        }
        portName = nameOf(sp.get().getName());
      }
    }

    // One address can sit in two slices while the controller moves it; keep the ready copy.
    Map<String, Endpoint> byAddress = new LinkedHashMap<>();
    List<EndpointSlice> ordered = new ArrayList<>(slices);
    ordered.sort(
        Comparator.comparing(s -> Objects.requireNonNullElse(s.getMetadata().getName(), "")));
    for (EndpointSlice slice : ordered) {
      if ("FQDN".equals(slice.getAddressType())) {
        continue; // Envoy's EDS wants IP addresses
      }
      Optional<Integer> slicePort = slicePort(slice, portName);
      if (slicePort.isEmpty() || slice.getEndpoints() == null) {
        continue;
      }
      Map<String, String> sliceLabels = orEmpty(slice.getMetadata().getLabels());
      for (var ep : slice.getEndpoints()) {
        EndpointConditions c = ep.getConditions();
        // Per the API: terminating unset means false, ready unset means true.
        boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
        if (terminating) {
          continue; // draining: Envoy stops sending new requests at once
        }
        if (ep.getAddresses() == null
            || ep.getAddresses().isEmpty()
            || ep.getAddresses().get(0) == null
            || ep.getAddresses().get(0).isBlank()) {
          continue;
        }
        boolean ready = c == null || c.getReady() == null || c.getReady();
        // Addresses of one endpoint are fungible; the API lets consumers use the first.
        String host = ep.getAddresses().get(0);
        TreeMap<String, String> labels = new TreeMap<>(sliceLabels);
        podName(ep.getTargetRef(), namespace).ifPresent(pod -> labels.putAll(podLabels.apply(pod)));
        Optional<String> zone = Optional.ofNullable(ep.getZone()).filter(z -> !z.isBlank());
        // Set for pods with a hostname under a headless Service (StatefulSets): their DNS name.
        Optional<String> hostname = Optional.ofNullable(ep.getHostname()).filter(h -> !h.isBlank());
        Endpoint endpoint = new Endpoint(host, slicePort.get(), labels, zone, ready, hostname);
        byAddress.merge(
            host + " " + slicePort.get(), endpoint, (a, b) -> a.healthy() || !b.healthy() ? a : b);
      }
    }
    List<Endpoint> endpoints = byAddress.values().stream().sorted(Endpoint.ORDER).toList();
    return new Result(endpoints, problem);
  }

  private static Optional<Integer> slicePort(EndpointSlice slice, String portName) {
    if (slice.getPorts() == null) {
      return Optional.empty();
    }
    return slice.getPorts().stream()
        .filter(p -> portName.equals(nameOf(p.getName())) && isTcp(p.getProtocol()))
        .map(EndpointPort::getPort)
        .filter(p -> p != null && p >= 1 && p <= 65535)
        .findFirst();
  }

  private static Optional<String> podName(ObjectReference ref, String namespace) {
    if (ref == null || !"Pod".equals(ref.getKind()) || ref.getName() == null) {
      return Optional.empty();
    }
    // Slices only point at pods of their own namespace; ignore anything else.
    if (ref.getNamespace() != null
        && !ref.getNamespace().isEmpty()
        && !ref.getNamespace().equals(namespace)) {
      return Optional.empty();
    }
    return Optional.of(ref.getName());
  }

  private static List<ServicePort> servicePorts(Service service) {
    return service.getSpec() == null || service.getSpec().getPorts() == null
        ? List.of()
        : service.getSpec().getPorts();
  }

  private static String describePorts(Service service) {
    List<ServicePort> ports = servicePorts(service);
    if (ports.isEmpty()) {
      return "no ports";
    }
    return ports.stream()
        .map(p ->
            (nameOf(p.getName()).isEmpty() ? "(unnamed)" : "\"" + p.getName() + "\"")
                + " "
                + p.getPort()
                + "/"
                + Objects.requireNonNullElse(p.getProtocol(), "TCP"))
        .collect(Collectors.joining(", ", "ports ", ""));
  }

  /** An unnamed port (a Service's only port) has name "" in slices, or no name at all. */
  private static String nameOf(String name) {
    return name == null ? "" : name;
  }

  private static boolean isTcp(String protocol) {
    return protocol == null || "TCP".equals(protocol);
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
