package dev.meshgate.compiler.format;

import dev.meshgate.compiler.Span;

/** A 1-based line and column (in code points, as the lexer counts), ordered as in the file. */
record Pos(int line, int column) implements Comparable<Pos> {
  static Pos of(Span span) {
    return new Pos(span.line(), span.column());
  }

  /** Just past the span's last character (spans never cross a line). */
  static Pos after(Span span) {
    return new Pos(span.line(), span.column() + span.length());
  }

  @Override
  public int compareTo(Pos o) {
    return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
  }

  boolean before(Pos o) {
    return compareTo(o) < 0;
  }
}
