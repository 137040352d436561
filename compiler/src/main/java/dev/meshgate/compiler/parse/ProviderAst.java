package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.StringContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.antlr.v4.runtime.ParserRuleContext;
import org.jspecify.annotations.Nullable;

/**
 * The syntax of a provider a gateway declares and its routes require by name, as api keys and basic
 * auth write it: a named block of fields, {@code api-keys "p" {…}} / {@code basic-auth "p" {…}},
 * and a requirement that names one and may list who passes, {@code require api-key "p" clients "a",
 * "b"} / {@code require basic-auth "p" users "a", "b"}. Each feature keeps its own fields and
 * records. A part ANTLR made up while recovering from a syntax error (already reported) drops the
 * whole statement, so no half-built provider reaches the checks.
 */
final class ProviderAst {
  private ProviderAst() {}

  /** Makes a feature's block record, as its canonical constructor does. */
  @FunctionalInterface
  interface Block<F> {
    GatewayStmt of(StringLit name, List<F> fields, Span span);
  }

  /** Makes a feature's requirement record, as its canonical constructor does. */
  @FunctionalInterface
  interface Requirement {
    RouteStmt of(StringLit provider, List<StringLit> listed, Span span);
  }

  /**
   * {@code KEYWORD "name" { field … }}: the block when its name and every field could be built
   * ({@code field}), spanning the keyword and the name.
   */
  static <C extends ParserRuleContext, F> Optional<GatewayStmt> block(
      AstLeaves b,
      ParserRuleContext ctx,
      @Nullable StringContext name,
      List<C> fieldContexts,
      Function<C, Optional<F>> field,
      Block<F> make) {
    if (AstLeaves.hasErrorNodes(ctx) || name == null) {
      return Optional.empty();
    }
    Optional<StringLit> built = b.string(name);
    if (built.isEmpty()) {
      return Optional.empty();
    }
    List<F> fields = new ArrayList<>();
    for (C fieldContext : fieldContexts) {
      Optional<F> f = field.apply(fieldContext);
      if (f.isEmpty()) {
        return Optional.empty();
      }
      fields.add(f.get());
    }
    return Optional.of(make.of(built.get(), fields, b.span(ctx.start, name.stop)));
  }

  /**
   * {@code require KEYWORD "provider" (LIST "a", "b")?}: {@code strings} are the provider's name
   * and then the names listed (none: anyone the provider knows).
   */
  static Optional<RouteStmt> require(
      AstLeaves b,
      ParserRuleContext ctx,
      List<StringContext> strings,
      Span span,
      Requirement make) {
    if (AstLeaves.hasErrorNodes(ctx) || strings.isEmpty()) {
      return Optional.empty();
    }
    List<StringLit> all = AstLeaves.all(strings, b::string);
    if (all.size() != strings.size()) {
      return Optional.empty();
    }
    return Optional.of(make.of(all.getFirst(), all.subList(1, all.size()), span));
  }
}
