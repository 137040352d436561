package dev.meshgate.compiler.ir;

import java.util.List;

/** What a request must look like to take a route: every part must hold. */
public record RouteMatchIr(
    PathMatchIr path,
    List<String> methods,
    List<ValueMatchIr> headers,
    List<ValueMatchIr> queries) {
  public RouteMatchIr {
    methods = List.copyOf(methods);
    headers = List.copyOf(headers);
    queries = List.copyOf(queries);
  }
}
