package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.jspecify.annotations.Nullable;

/**
 * The leaves every part of the syntax tree builder shares: names, strings, numbers, durations,
 * spans, and the checks for nodes ANTLR conjured up while recovering from a syntax error.
 */
abstract class AstLeaves {
  final Source source;

  AstLeaves(Source source) {
    this.source = source;
  }

  // ------------------------------------------------------------------ leaves

  Optional<Name> name(NameContext ctx) {
    if (ctx == null || ctx.getChildCount() != 1 || !(ctx.getChild(0) instanceof TerminalNode t)) {
      return Optional.empty();
    }
    return token(t).map(tok -> new Name(tok.getText(), Spans.of(source, tok)));
  }

  /** A Service port by name or by number; both are kept as a name for the catalog to resolve. */
  Optional<Name> kubernetesPort(KubernetesPortContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    if (ctx.INT() != null) {
      return token(ctx.INT()).map(tok -> new Name(tok.getText(), Spans.of(source, tok)));
    }
    return name(ctx.name());
  }

  Optional<StringLit> string(@Nullable StringContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    return token(ctx.STRING())
        .map(t -> new StringLit(unquote(t.getText()), t.getText(), Spans.of(source, t)));
  }

  Optional<NumberLit> number(@Nullable TerminalNode node) {
    return token(node)
        .map(
            t -> {
              BigInteger value = new BigInteger(t.getText());
              long saturated = value.bitLength() < 63 ? value.longValue() : Long.MAX_VALUE;
              return new NumberLit(saturated, t.getText(), Spans.of(source, t));
            });
  }

  Optional<DurationLit> duration(@Nullable DurationContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    return token(ctx.DIGIT_WORD()).map(t -> new DurationLit(t.getText(), Spans.of(source, t)));
  }

  /** {@code 2s}, or {@code none} (a duration whose text is {@code none}: no limit). */
  Optional<DurationLit> timeoutValue(@Nullable TimeoutValueContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    if (ctx.NONE() != null) {
      return token(ctx.NONE()).map(t -> new DurationLit(t.getText(), Spans.of(source, t)));
    }
    return duration(ctx.duration());
  }

  /** A real token: not missing, and not one ANTLR made up during recovery. */
  static Optional<Token> token(@Nullable TerminalNode node) {
    if (node == null || node instanceof ErrorNode || node.getSymbol().getTokenIndex() < 0) {
      return Optional.empty();
    }
    return Optional.of(node.getSymbol());
  }

  static boolean isError(@Nullable TerminalNode node) {
    return token(node).isEmpty();
  }

  static boolean hasErrors(ParserRuleContext ctx) {
    return ctx.exception != null || hasErrorNodes(ctx);
  }

  static boolean hasErrorNodes(ParseTree tree) {
    if (tree instanceof ErrorNode) {
      return true;
    }
    for (int i = 0; i < tree.getChildCount(); i++) {
      if (hasErrorNodes(tree.getChild(i))) {
        return true;
      }
    }
    return false;
  }

  static <C, T> List<T> all(List<C> contexts, Function<C, Optional<T>> build) {
    List<T> out = new ArrayList<>();
    for (C c : contexts) {
      build.apply(c).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Strips the quotes; {@code \"} and {@code \\} are the only escapes (regexes keep {@code \.}).
   */
  static String unquote(String raw) {
    String body = terminated(raw) ? raw.substring(1, raw.length() - 1) : raw.substring(1);
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\'
          && i + 1 < body.length()
          && (body.charAt(i + 1) == '"' || body.charAt(i + 1) == '\\')) {
        sb.append(body.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Whether a string token has its closing quote (the lexer also accepts unterminated ones). */
  static boolean terminated(String raw) {
    return StringTokens.terminated(raw);
  }

  Span span(ParserRuleContext ctx) {
    return span(ctx.start, ctx.stop);
  }

  Span span(Token first, Token last) {
    return Spans.between(source, first, last);
  }
}
