package dev.meshgate.compiler.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * access logs (issue 15): a text template, {@code "%method% %path% -> %status% %header:x-user%"},
 * cut into literal text and placeholders. A placeholder is {@code %word%} or {@code %word:arg%};
 * {@code %} always opens one (a template has no other use for it).
 */
public final class AccessLogTemplate {
  private AccessLogTemplate() {}

  /** A piece of a template; {@code offset} is where it starts in the template's text. */
  public sealed interface Piece {
    int offset();

    record Text(String text, int offset) implements Piece {}

    /** {@code %word%} or {@code %word:arg%}; {@code length} counts both percent signs. */
    record Placeholder(String word, Optional<String> arg, int offset, int length)
        implements Piece {}

    /** A {@code %} with no closing one. */
    record Unclosed(int offset) implements Piece {}
  }

  public static List<Piece> parse(String template) {
    List<Piece> pieces = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('%', i);
      if (open < 0) {
        pieces.add(new Piece.Text(template.substring(i), i));
        break;
      }
      if (open > i) {
        pieces.add(new Piece.Text(template.substring(i, open), i));
      }
      int close = template.indexOf('%', open + 1);
      if (close < 0) {
        pieces.add(new Piece.Unclosed(open));
        break;
      }
      String inside = template.substring(open + 1, close);
      int colon = inside.indexOf(':');
      pieces.add(
          colon < 0
              ? new Piece.Placeholder(inside, Optional.empty(), open, close - open + 1)
              : new Piece.Placeholder(
                  inside.substring(0, colon),
                  Optional.of(inside.substring(colon + 1)),
                  open,
                  close - open + 1));
      i = close + 1;
    }
    return List.copyOf(pieces);
  }
}
