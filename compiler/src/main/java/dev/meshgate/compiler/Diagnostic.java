package dev.meshgate.compiler;

import java.util.Comparator;
import java.util.Objects;

/**
 * A finding about a policy: a stable code (for docs, search and silencing), where it is, and a
 * message a newcomer can act on. {@code sourceLine} is the text of the line the span points at,
 * captured when the diagnostic is made so rendering needs no file access. On a very long line it is
 * an excerpt around the span, marked with "…" where text was left out; {@code columnShift} is how
 * many columns the excerpt starts to the left of the real line, so the caret stays right.
 */
public record Diagnostic(
    Severity severity, String code, Span span, String message, String sourceLine, int columnShift) {

  /**
   * The most characters of a source line a diagnostic echoes. A longer line is shown as a window
   * around the span, so one minified file cannot make every diagnostic megabytes long.
   */
  public static final int MAX_ECHOED_LINE = 120;

  /** How much of the window is kept left of the span, for context. */
  private static final int CONTEXT_BEFORE = 40;

  private static final String ELLIPSIS = "…";

  /** Diagnostics print in file, line, column, code order, so output is deterministic. */
  public static final Comparator<Diagnostic> ORDER =
      Comparator.comparing((Diagnostic d) -> d.span().file())
          .thenComparingInt(d -> d.span().line())
          .thenComparingInt(d -> d.span().column())
          .thenComparing(Diagnostic::code)
          .thenComparing(Diagnostic::message);

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(sourceLine, "sourceLine");
  }

  /** A diagnostic that echoes {@code sourceLine}, cut to a window around the span if it is long. */
  public Diagnostic(Severity severity, String code, Span span, String message, String sourceLine) {
    this(severity, code, span, message, Excerpt.of(new Source("", sourceLine), span, 1));
  }

  private Diagnostic(Severity severity, String code, Span span, String message, Excerpt excerpt) {
    this(severity, code, span, message, excerpt.text(), excerpt.columnShift());
  }

  public static Diagnostic error(String code, Span span, Source source, String message) {
    return new Diagnostic(Severity.ERROR, code, span, message, Excerpt.of(source, span));
  }

  public static Diagnostic warning(String code, Span span, Source source, String message) {
    return new Diagnostic(Severity.WARNING, code, span, message, Excerpt.of(source, span));
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /**
   * The form people read, compiler style:
   *
   * <pre>
   * shop.mesh:14:7: error[MG201]: unknown service "catalg"; did you mean "catalog"?
   *    14 |     to catalg
   *       |        ^^^^^^
   * </pre>
   */
  public String render() {
    String lineNo = Integer.toString(span.line());
    String gutter = " ".repeat(lineNo.length());
    String expanded = sourceLine.replace('\t', ' ');
    int column = Math.max(1, span.column() - columnShift);
    int visible = expanded.endsWith(ELLIPSIS) ? expanded.length() - 1 : expanded.length();
    int caretLength = Math.max(1, Math.min(span.length(), visible - column + 1));
    return span
        + ": "
        + severity.label()
        + "["
        + code
        + "]: "
        + message
        + "\n "
        + lineNo
        + " | "
        + expanded
        + "\n "
        + gutter
        + " | "
        + " ".repeat(column - 1)
        + "^".repeat(caretLength);
  }

  /** The part of a line a diagnostic echoes, and how far right of the line's start it begins. */
  private record Excerpt(String text, int columnShift) {
    static Excerpt of(Source source, Span span) {
      return of(source, span, span.line());
    }

    static Excerpt of(Source source, Span span, int line) {
      int length = source.lineLength(line);
      if (length <= MAX_ECHOED_LINE) {
        return new Excerpt(source.line(line), 0);
      }
      int room = MAX_ECHOED_LINE - 2; // one ellipsis on each side at most
      int from = Math.max(0, Math.min(span.column() - 1 - CONTEXT_BEFORE, length - room));
      int to = Math.min(length, from + room);
      String text =
          (from > 0 ? ELLIPSIS : "")
              + source.excerpt(line, from, to)
              + (to < length ? ELLIPSIS : "");
      return new Excerpt(text, from > 0 ? from - 1 : 0);
    }
  }
}
