package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.ServiceSource;
import java.util.List;
import java.util.TreeMap;

/** Lowers {@code source static}: each endpoint with its hostname and labels. */
final class StaticEndpoints {
  private StaticEndpoints() {}

  static ServiceSource.Static of(ServiceStmt.StaticSource s) {
    return new ServiceSource.Static(
        s.endpoints().stream()
            .map(
                e ->
                    new ServiceSource.StaticEndpoint(
                        e.host(),
                        (int) e.port().value(),
                        e.hostname().map(StringLit::value),
                        labels(e.labels())))
            .toList());
  }

  static TreeMap<String, String> labels(List<ServiceStmt.Label> labels) {
    TreeMap<String, String> map = new TreeMap<>();
    labels.forEach(l -> map.put(l.key(), l.value()));
    return map;
  }
}
