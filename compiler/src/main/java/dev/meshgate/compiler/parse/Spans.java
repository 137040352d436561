package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import org.antlr.v4.runtime.Token;

/** Spans from ANTLR tokens. A span never crosses a line: it is cut at the first line's end. */
final class Spans {
  private Spans() {}

  static Span of(Source source, Token token) {
    return new Span(
        source.name(),
        token.getLine(),
        token.getCharPositionInLine() + 1,
        firstLineLength(token.getText()));
  }

  /** From the start of {@code first} to the end of {@code last}, or to the end of first's line. */
  static Span between(Source source, Token first, Token last) {
    if (last == null
        || last.getLine() != first.getLine()
        || last.getStopIndex() < first.getStartIndex()) {
      return of(source, first);
    }
    int length =
        last.getCharPositionInLine()
            + firstLineLength(last.getText())
            - first.getCharPositionInLine();
    return new Span(source.name(), first.getLine(), first.getCharPositionInLine() + 1, length);
  }

  private static int firstLineLength(String text) {
    if (text == null) {
      return 1;
    }
    int nl = text.indexOf('\n');
    return Math.max(1, nl < 0 ? text.length() : nl);
  }
}
