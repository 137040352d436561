package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ast.Tracing;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** tracing (issue 15): {@code tracing { … }} blocks and {@code trace sample N%}. */
final class TracingAstBuilder {
  private TracingAstBuilder() {}

  static Optional<Tracing> tracing(GatewayAstBuilder b, TracingDeclContext ctx) {
    if (AstLeaves.hasErrorNodes(ctx) || ctx.tracingBody() == null) {
      return Optional.empty();
    }
    List<Tracing.Field> fields = new ArrayList<>();
    for (TracingFieldContext field : ctx.tracingBody().tracingField()) {
      Optional<Tracing.Field> built = field(b, field);
      if (built.isEmpty()) {
        return Optional.empty();
      }
      fields.add(built.get());
    }
    return Optional.of(new Tracing(fields, b.span(ctx.start, ctx.start)));
  }

  private static Optional<Tracing.Field> field(GatewayAstBuilder b, TracingFieldContext ctx) {
    Span span = b.span(ctx);
    return switch (ctx) {
      case TracingCollectorContext c ->
          b.string(c.string()).map(s -> new Tracing.Field.Collector(s, span));
      case TracingSampleContext s ->
          b.percent(s.weight()).map(p -> new Tracing.Field.Sample(p, span));
      case TracingTagContext t -> {
        Optional<StringLit> name = b.string(t.string(0));
        Optional<StringLit> header =
            t.string().size() > 1 ? b.string(t.string(1)) : Optional.empty();
        yield name.isPresent() && header.isPresent()
            ? Optional.of(new Tracing.Field.Tag(name.get(), header.get(), span))
            : Optional.empty();
      }
      default -> Optional.empty();
    };
  }

  /** {@code trace sample N%} in a route, host, gateway or call body. */
  static Optional<RouteStmt> traceSample(
      GatewayAstBuilder b, @org.jspecify.annotations.Nullable WeightContext weight, Span span) {
    if (weight == null || AstLeaves.hasErrors(weight)) {
      return Optional.empty();
    }
    return b.percent(weight).map(p -> new RouteStmt.TraceSample(p, span));
  }
}
