package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.DiagnosticLimit;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Turns parser errors into MG101 diagnostics. Messages come from {@link SyntaxErrorStrategy},
 * already phrased for people; this class only places them. An error at end of file points just
 * after the last real token, where the missing text belongs, rather than at an empty line.
 */
final class SyntaxErrorListener extends BaseErrorListener {
  private final Source source;
  private final List<Diagnostic> out;
  private static final int MAX_REMEMBERED = 4 * DiagnosticLimit.PER_FILE;
  private final Set<String> seen = new HashSet<>();

  SyntaxErrorListener(Source source, List<Diagnostic> out) {
    this.source = source;
    this.out = out;
  }

  @Override
  public void syntaxError(
      Recognizer<?, ?> recognizer,
      Object offendingSymbol,
      int line,
      int charPositionInLine,
      String msg,
      RecognitionException e) {
    Span span;
    if (offendingSymbol instanceof Token token && token.getType() != Token.EOF) {
      span = Spans.of(source, token);
    } else if (recognizer instanceof Parser parser) {
      span = endOfInput(parser);
    } else {
      span = new Span(source.name(), Math.max(1, line), charPositionInLine + 1, 1);
    }
    // Recovery can report twice at one place; once is enough. Past what is shown, only the
    // count of the rest matters, and remembering every place would cost memory per error.
    if (seen.size() >= MAX_REMEMBERED ? !seen.contains(span + msg) : seen.add(span + msg)) {
      out.add(Diagnostic.error("MG101", span, source, msg));
    }
  }

  private Span endOfInput(Parser parser) {
    var stream = parser.getTokenStream();
    for (int i = stream.size() - 1; i >= 0; i--) {
      Token t = stream.get(i);
      if (t.getType() != Token.EOF && t.getChannel() == Token.DEFAULT_CHANNEL) {
        Span last = Spans.of(source, t);
        return new Span(source.name(), last.line(), last.column() + last.length(), 1);
      }
    }
    return new Span(source.name(), 1, 1, 1);
  }
}
