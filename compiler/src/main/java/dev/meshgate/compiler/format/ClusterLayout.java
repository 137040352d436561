package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.ClusterStmt;
import java.util.List;

/** Cluster settings on a service (issue 14), each on one line like {@code cors}. */
final class ClusterLayout {
  private ClusterLayout() {}

  /** A subset's or call's cluster settings (issue 14), one line each. */
  static List<Layout.Item> lines(List<ClusterStmt> stmts) {
    return stmts.stream()
        .map(c -> (Layout.Item) new Layout.Line(Pos.of(c.span()), clusterStmt(c)))
        .toList();
  }

  static String clusterStmt(ClusterStmt stmt) {
    return switch (stmt) {
      case ClusterStmt.CircuitBreaker c -> "circuit-breaker" + fields(c.fields());
      case ClusterStmt.OutlierDetection o -> "outlier-detection" + fields(o.fields());
      case ClusterStmt.HealthCheck h ->
          "health-check "
              + h.kind().text()
              + h.target().map(t -> " " + Layout.quote(t.value())).orElse("")
              + (h.fields().isEmpty() ? "" : fields(h.fields()));
      case ClusterStmt.PanicThreshold p -> "panic-threshold " + p.percent().text() + "%";
      case ClusterStmt.LoadBalancer l ->
          "load-balancer " + l.kind().text() + (l.fields().isEmpty() ? "" : fields(l.fields()));
      case ClusterStmt.SlowStart w ->
          "slow-start " + w.window().text() + (w.fields().isEmpty() ? "" : fields(w.fields()));
    };
  }

  private static String fields(List<ClusterStmt.Field> fields) {
    StringBuilder sb = new StringBuilder(" {");
    for (ClusterStmt.Field f : fields) {
      sb.append(' ').append(f.name().text()).append(' ').append(value(f.value()));
    }
    return sb.append(" }").toString();
  }

  private static String value(ClusterStmt.Value value) {
    return switch (value) {
      case ClusterStmt.Text t -> Layout.quote(t.string().value());
      case ClusterStmt.Count c -> c.number().text();
      case ClusterStmt.Percent p -> p.number().text() + "%";
      case ClusterStmt.Duration d -> d.duration().text();
    };
  }
}
