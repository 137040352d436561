package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.DiagnosticLimit;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ast.Comment;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.grammar.MeshLexer;
import dev.meshgate.grammar.MeshParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/** Parses one policy file into a syntax tree, turning every syntax error into a diagnostic. */
public final class PolicyParser {
  private PolicyParser() {}

  public static ParsedFile parse(Source source) {
    DiagnosticLimit.Collector diagnostics = new DiagnosticLimit.Collector();
    if (source.malformed().isPresent()) {
      // The text around the bad bytes is guesswork; say what to fix before anything else.
      diagnostics.add(InputLimits.notUtf8(source, source.malformed().get()));
      return new ParsedFile(new PolicyFile(source, List.of(), false), diagnostics.capped(), false);
    }
    MeshLexer lexer = new MeshLexer(CharStreams.fromString(source.text(), source.name()));
    // ERROR_CHAR matches any character, so the lexer itself never fails; we report below.
    lexer.removeErrorListeners();
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    reportLexicalErrors(source, tokens.getTokens(), diagnostics);
    if (!InputLimits.check(source, tokens.getTokens(), diagnostics)) {
      // Beyond the limits nothing is parsed: the diagnostics say what to fix first.
      return new ParsedFile(new PolicyFile(source, List.of(), false), diagnostics.capped(), false);
    }

    MeshParser parser = new MeshParser(tokens);
    parser.removeErrorListeners();
    MeshParser.PolicyContext tree;
    // Two-stage parsing: SLL is fast and right for almost every input; only when it fails do
    // we pay for full LL, which also gives the exact error positions.
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      tree = parser.policy();
    } catch (ParseCancellationException e) {
      tokens.seek(0);
      parser.reset();
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      parser.setErrorHandler(new SyntaxErrorStrategy());
      parser.addErrorListener(new SyntaxErrorListener(source, diagnostics));
      tree = parser.policy();
    }
    PolicyFile built = new AstBuilder(source).build(tree, diagnostics.isEmpty());
    PolicyFile file =
        new PolicyFile(
            built.source(), built.decls(), built.complete(), comments(source, tokens.getTokens()));
    return new ParsedFile(file, diagnostics.capped(), !diagnostics.overflowed());
  }

  /** Every comment token as a plain record; trailing when another token precedes it on its line. */
  private static List<Comment> comments(Source source, List<Token> tokens) {
    List<Comment> comments = new ArrayList<>();
    int codeLine = 0; // the line of the last non-comment token seen
    for (Token token : tokens) {
      if (token.getType() == MeshLexer.COMMENT) {
        comments.add(
            new Comment(token.getText(), Spans.of(source, token), codeLine == token.getLine()));
      } else if (token.getType() != Token.EOF) {
        codeLine = token.getLine();
      }
    }
    return comments;
  }

  private static void reportLexicalErrors(Source source, List<Token> tokens, List<Diagnostic> out) {
    for (Token token : tokens) {
      if (token.getType() == MeshLexer.ERROR_CHAR) {
        String text = token.getText();
        String message =
            switch (text) {
              case ";" ->
                  "unexpected ';': statements need no separator, start the next one on its own";
              case "'" -> "unexpected \"'\": strings use double quotes, like \"text\"";
              default -> "unexpected character " + quote(text);
            };
        out.add(Diagnostic.error("MG102", Spans.of(source, token), source, message));
      } else if (token.getType() == MeshLexer.STRING && EmbeddedSecrets.pasted(token.getText())) {
        // A pasted key is reported for what it is (and where it goes), whether or not the paste
        // broke the string: the unterminated-string error would only hide it.
        out.add(
            Diagnostic.error("MG650", Spans.of(source, token), source, EmbeddedSecrets.MESSAGE));
      } else if (token.getType() == MeshLexer.STRING && !AstBuilder.terminated(token.getText())) {
        out.add(
            Diagnostic.error(
                "MG103",
                Spans.of(source, token),
                source,
                "unterminated string: add a closing \" before the end of the line"));
      }
    }
  }

  /** Quotes a token for a message: {@code 'x'}, or a code point for invisible characters. */
  static String quote(String text) {
    if (text.codePoints().allMatch(c -> c > 0x20 && c != 0x7f && !Character.isWhitespace(c))) {
      return "'" + text + "'";
    }
    StringBuilder sb = new StringBuilder();
    text.codePoints().forEach(c -> sb.append(String.format("U+%04X", c)));
    return sb.toString();
  }
}
