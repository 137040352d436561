package dev.meshgate.compiler.ir;

import java.util.List;

/** One {@code host "NAME" { … }}: the domains it answers and its routes, in policy order. */
public record VirtualHostIr(String name, List<String> domains, List<RouteIr> routes) {
  public VirtualHostIr {
    domains = List.copyOf(domains);
    routes = List.copyOf(routes);
  }
}
