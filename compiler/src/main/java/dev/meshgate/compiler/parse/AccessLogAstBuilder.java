package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.ast.AccessLogSpec;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** access logs (issue 15): {@code access-log …}, on a gateway or in a sidecar block. */
final class AccessLogAstBuilder {
  private AccessLogAstBuilder() {}

  static Optional<AccessLogSpec> accessLog(AstLeaves b, AccessLogStmtContext ctx) {
    if (AstLeaves.hasErrors(ctx)) {
      return Optional.empty();
    }
    Optional<Name> format = b.name(ctx.name());
    Optional<AccessLogSpec.Sink> sink = sink(b, ctx.accessLogSink());
    if (format.isEmpty() || sink.isEmpty()) {
      return Optional.empty();
    }
    Optional<StringLit> template = b.string(ctx.string());
    List<AccessLogSpec.Clause> clauses = new ArrayList<>();
    if (ctx.accessLogBody() != null) {
      for (AccessLogClauseContext c : ctx.accessLogBody().accessLogClause()) {
        clause(b, c).ifPresent(clauses::add);
      }
    }
    return Optional.of(
        new AccessLogSpec(
            format.get(),
            template,
            sink.get(),
            clauses,
            ctx.accessLogBody() != null,
            b.span(ctx.start, ctx.accessLogSink().stop)));
  }

  private static Optional<AccessLogSpec.Sink> sink(AstLeaves b, AccessLogSinkContext ctx) {
    return switch (ctx) {
      case AccessLogFileContext f ->
          b.string(f.string()).map(p -> new AccessLogSpec.Sink.File(p, b.span(f)));
      case AccessLogOtlpContext o ->
          b.name(o.name())
              .flatMap(
                  n -> b.string(o.string()).map(a -> new AccessLogSpec.Sink.Otlp(n, a, b.span(o))));
      case AccessLogStreamContext s ->
          b.name(s.name()).map(n -> new AccessLogSpec.Sink.Stream(n, b.span(s)));
      default -> Optional.empty();
    };
  }

  private static Optional<AccessLogSpec.Clause> clause(AstLeaves b, AccessLogClauseContext ctx) {
    return switch (ctx) {
      case AccessLogFieldsContext f -> {
        List<AccessLogSpec.Field> fields = AstLeaves.all(f.accessLogField(), x -> field(b, x));
        yield Optional.of(new AccessLogSpec.Clause.Fields(fields, b.span(f)));
      }
      case AccessLogOnlyContext o ->
          b.name(o.name())
              .map(n -> new AccessLogSpec.Clause.Only(n, b.duration(o.duration()), b.span(o)));
      case AccessLogSampleContext s ->
          b.number(s.weight().INT())
              .map(n -> new NumberLit(n.value(), n.text(), b.span(s.weight())))
              .map(n -> new AccessLogSpec.Clause.Sample(n, b.span(s)));
      default -> Optional.empty();
    };
  }

  private static Optional<AccessLogSpec.Field> field(AstLeaves b, AccessLogFieldContext ctx) {
    return switch (ctx) {
      case AccessLogHeaderFieldContext h ->
          b.string(h.string()).map(s -> new AccessLogSpec.Field.Header(s, b.span(h)));
      case AccessLogResponseHeaderFieldContext h ->
          b.string(h.string()).map(s -> new AccessLogSpec.Field.ResponseHeader(s, b.span(h)));
      case AccessLogNamedFieldContext n ->
          b.name(n.name()).map(x -> new AccessLogSpec.Field.Named(x, b.span(n)));
      default -> Optional.empty();
    };
  }
}
