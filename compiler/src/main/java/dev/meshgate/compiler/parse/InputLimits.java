package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.grammar.MeshLexer;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.Token;

/**
 * Limits checked on the token stream before parsing, so that absurd input is refused in linear time
 * with one precise diagnostic instead of feeding the parser, the checker and the echoing of source
 * lines with it: a port of a million digits took 35 s to turn into a number, and ten thousand
 * nested blocks made twenty thousand syntax errors.
 */
final class InputLimits {
  /** Numbers are ports, status codes, weights, retries and durations: a few digits each. */
  static final int MAX_NUMBER_LENGTH = 64;

  /** Strings, paths and names; generous for regexes and URLs, far below what hurts. */
  static final int MAX_TOKEN_LENGTH = 8192;

  /** The deepest a valid policy nests is 3: {@code gateway { host { route { … } } }}. */
  static final int MAX_NESTING = 16;

  static final String TOO_LONG = "MG104";
  static final String TOO_DEEP = "MG105";
  static final String NOT_UTF8 = "MG107";

  private InputLimits() {}

  /** Adds a diagnostic per token beyond its limit, and one for the first too deep block. */
  static boolean check(Source source, List<Token> tokens, List<Diagnostic> out) {
    boolean within = true;
    int depth = 0;
    boolean deepReported = false;
    for (Token token : tokens) {
      int type = token.getType();
      if (type == MeshLexer.LBRACE && ++depth > MAX_NESTING && !deepReported) {
        deepReported = true;
        within = false;
        out.add(
            Diagnostic.error(
                TOO_DEEP,
                Spans.of(source, token),
                source,
                "blocks nested too deep: this '{' opens level "
                    + depth
                    + ", and a policy never needs more than 3 (gateway { host { route { … } } });"
                    + " look for a missing '}'"));
      } else if (type == MeshLexer.RBRACE && depth > 0) {
        depth--;
      } else if (type != MeshLexer.COMMENT && type != Token.EOF) {
        String text = token.getText();
        boolean number =
            type == MeshLexer.INT || type == MeshLexer.DIGIT_WORD || type == MeshLexer.IPV4;
        int limit = number ? MAX_NUMBER_LENGTH : MAX_TOKEN_LENGTH;
        if (text.length() > limit) {
          within = false;
          out.add(
              Diagnostic.error(
                  TOO_LONG,
                  Spans.of(source, token),
                  source,
                  String.format(
                      Locale.ROOT,
                      "%s too long: %,d characters, at most %,d are allowed%s",
                      kind(type),
                      text.length(),
                      limit,
                      number
                          ? "; ports, status codes, retries and durations need a few digits"
                          : "")));
        }
      }
    }
    return within;
  }

  /** Where a file read as UTF-8 was not, and how to fix it. */
  static Diagnostic notUtf8(Source source, Source.Malformed malformed) {
    StringBuilder bytes = new StringBuilder();
    for (byte b : malformed.bytes()) {
      bytes.append(bytes.isEmpty() ? "" : " ").append(String.format("0x%02X", b & 0xff));
    }
    return Diagnostic.error(
        NOT_UTF8,
        source.spanAt(malformed.index(), 1),
        source,
        "this file is not UTF-8 ("
            + (malformed.bytes().length == 1 ? "byte " : "bytes ")
            + bytes
            + " here is not valid UTF-8); policy files must be UTF-8: re-save it as UTF-8, or"
            + " convert it, for example with iconv -f ISO-8859-1 -t UTF-8");
  }

  private static String kind(int type) {
    return switch (type) {
      case MeshLexer.INT, MeshLexer.DIGIT_WORD, MeshLexer.IPV4 -> "number";
      case MeshLexer.STRING -> "string";
      case MeshLexer.PATH -> "path";
      default -> "name";
    };
  }
}
