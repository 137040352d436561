package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * An edge gateway: its listeners, its virtual hosts (shared by every listener, in policy
 * order, because Envoy picks a virtual host by domain, not by order) and the clusters its
 * routes send to (sorted by name).
 */
public record GatewayIr(
    String name, List<ListenerIr> listeners, List<VirtualHostIr> hosts, List<ClusterIr> clusters) {
  public GatewayIr {
    listeners = List.copyOf(listeners);
    hosts = List.copyOf(hosts);
    clusters = List.copyOf(clusters);
  }
}
