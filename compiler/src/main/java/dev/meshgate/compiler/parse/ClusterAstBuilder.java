package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.List;
import java.util.Optional;

/**
 * Cluster settings on a service (issue 14): {@code circuit-breaker}, {@code outlier-detection},
 * {@code health-check}, {@code panic-threshold}, {@code load-balancer}, {@code slow-start}. A
 * statement ANTLR recovered inside is dropped (its error was reported); a new cluster setting adds
 * its case to {@link #clusterStmt}.
 */
final class ClusterAstBuilder extends AstLeaves {

  ClusterAstBuilder(Source source) {
    super(source);
  }

  Optional<ClusterStmt> clusterStmt(ClusterStmtContext ctx) {
    if (hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    return switch (ctx) {
      case CircuitBreakerStmtContext c ->
          fields(c.clusterFields()).map(f -> new ClusterStmt.CircuitBreaker(f, span(c)));
      case OutlierDetectionStmtContext o ->
          fields(o.clusterFields()).map(f -> new ClusterStmt.OutlierDetection(f, span(o)));
      case HealthCheckStmtContext h -> {
        Optional<Name> kind = name(h.name());
        Optional<StringLit> target = string(h.string());
        if (kind.isEmpty() || (h.string() != null && target.isEmpty())) {
          yield Optional.empty();
        }
        Optional<List<ClusterStmt.Field>> fields =
            h.clusterFields() == null ? Optional.of(List.of()) : fields(h.clusterFields());
        yield fields.map(f -> new ClusterStmt.HealthCheck(kind.get(), target, f, span(h)));
      }
      case PanicThresholdStmtContext p ->
          p.weight() == null
              ? Optional.empty()
              : number(p.weight().INT())
                  .map(n -> new NumberLit(n.value(), n.text(), span(p.weight())))
                  .map(n -> new ClusterStmt.PanicThreshold(n, span(p)));
      case LoadBalancerStmtContext l -> {
        Optional<Name> kind = name(l.name());
        Optional<List<ClusterStmt.Field>> fields =
            l.clusterFields() == null ? Optional.of(List.of()) : fields(l.clusterFields());
        yield kind.isEmpty()
            ? Optional.empty()
            : fields.map(f -> new ClusterStmt.LoadBalancer(kind.get(), f, span(l)));
      }
      case SlowStartStmtContext w -> {
        Optional<DurationLit> window = duration(w.duration());
        Optional<List<ClusterStmt.Field>> fields =
            w.clusterFields() == null ? Optional.of(List.of()) : fields(w.clusterFields());
        yield window.isEmpty()
            ? Optional.empty()
            : fields.map(f -> new ClusterStmt.SlowStart(window.get(), f, span(w)));
      }
      default -> Optional.empty();
    };
  }

  private Optional<List<ClusterStmt.Field>> fields(ClusterFieldsContext ctx) {
    if (ctx == null || ctx.RBRACE() == null || isError(ctx.RBRACE())) {
      return Optional.empty();
    }
    List<ClusterStmt.Field> fields = all(ctx.clusterField(), this::field);
    return fields.size() == ctx.clusterField().size() ? Optional.of(fields) : Optional.empty();
  }

  private Optional<ClusterStmt.Field> field(ClusterFieldContext ctx) {
    Optional<Name> name =
        ctx.EXPECT() != null
            ? token(ctx.EXPECT()).map(t -> new Name(t.getText(), Spans.of(source, t)))
            : name(ctx.name());
    Optional<ClusterStmt.Value> value = value(ctx.clusterValue());
    if (name.isEmpty() || value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ClusterStmt.Field(name.get(), value.get(), span(ctx)));
  }

  private Optional<ClusterStmt.Value> value(ClusterValueContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    if (ctx.INT() != null) {
      Optional<NumberLit> n = number(ctx.INT());
      return ctx.PERCENT() != null
          ? n.map(x -> new ClusterStmt.Percent(x, span(ctx)))
          : n.map(ClusterStmt.Count::new);
    }
    if (ctx.DIGIT_WORD() != null) {
      return token(ctx.DIGIT_WORD())
          .map(t -> new ClusterStmt.Duration(new DurationLit(t.getText(), Spans.of(source, t))));
    }
    return string(ctx.string()).map(ClusterStmt.Text::new);
  }
}
