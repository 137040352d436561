package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * One route. {@code name} is stable and readable ({@code host/index-description}) so Envoy stats
 * and config dumps point back at the policy; {@code origin} is {@code file:line:col}.
 */
public record RouteIr(
    String name,
    String origin,
    RouteMatchIr match,
    RouteActionIr action,
    List<HeaderMutationIr> headerMutations) {
  public RouteIr {
    headerMutations = List.copyOf(headerMutations);
  }
}
