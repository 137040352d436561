package dev.meshgate.compiler;

/**
 * Where a construct stands in a policy file: 1-based line, 1-based column, and how many characters
 * it covers on that line (at least 1, so a caret can always be drawn).
 */
public record Span(String file, int line, int column, int length) {
  public Span {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("spans are 1-based: " + line + ":" + column);
    }
    length = Math.max(1, length);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
