package dev.meshgate.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a simulated Envoy reads from the resources it gets: the names a cluster or listener makes it
 * subscribe to next, and the endpoint ports of a load assignment. Nothing else is unpacked.
 */
final class XdsResourceNames {
  /** A load assignment's service (its cluster name) and endpoint ports. */
  record Assignment(String service, Set<Integer> ports) {}

  private XdsResourceNames() {}

  /**
   * The resources of one response, by name, each with the names it makes the proxy follow: EDS
   * names for a cluster, RDS names for a listener, none for the rest. {@code names} are the names a
   * delta response gives; empty for state of the world, where a cluster's or listener's own name is
   * read and the other types are keyed by position (only their count matters).
   */
  static Map<String, List<String>> held(String type, List<Any> resources, List<String> names) {
    Map<String, List<String>> held = new HashMap<>();
    for (int i = 0; i < resources.size(); i++) {
      Any any = resources.get(i);
      String given = names.isEmpty() ? "" : names.get(i);
      switch (type) {
        case SimulatedEnvoy.CDS -> {
          Cluster cluster = unpack(any, Cluster.class);
          held.put(cluster.getName(), edsNames(cluster));
        }
        case SimulatedEnvoy.LDS -> {
          Listener listener = unpack(any, Listener.class);
          held.put(listener.getName(), routeNames(listener));
        }
        default -> held.put(given.isEmpty() ? Integer.toString(i) : given, List.of());
      }
    }
    return held;
  }

  static Assignment assignment(Any any) {
    ClusterLoadAssignment cla = unpack(any, ClusterLoadAssignment.class);
    Set<Integer> ports = new TreeSet<>();
    for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
      for (LbEndpoint lb : locality.getLbEndpointsList()) {
        ports.add(lb.getEndpoint().getAddress().getSocketAddress().getPortValue());
      }
    }
    return new Assignment(cla.getClusterName(), ports);
  }

  private static List<String> edsNames(Cluster cluster) {
    if (cluster.getType() != Cluster.DiscoveryType.EDS) {
      return List.of();
    }
    String serviceName = cluster.getEdsClusterConfig().getServiceName();
    return List.of(serviceName.isEmpty() ? cluster.getName() : serviceName);
  }

  private static List<String> routeNames(Listener listener) {
    List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
    if (listener.hasDefaultFilterChain()) {
      chains.add(listener.getDefaultFilterChain());
    }
    TreeSet<String> names = new TreeSet<>();
    for (FilterChain chain : chains) {
      for (Filter filter : chain.getFiltersList()) {
        if (filter.hasTypedConfig() && filter.getTypedConfig().is(HttpConnectionManager.class)) {
          HttpConnectionManager hcm = unpack(filter.getTypedConfig(), HttpConnectionManager.class);
          if (hcm.hasRds()) {
            names.add(hcm.getRds().getRouteConfigName());
          }
        }
      }
    }
    return List.copyOf(names);
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot read a " + type.getSimpleName() + " the server sent", e);
    }
  }
}
