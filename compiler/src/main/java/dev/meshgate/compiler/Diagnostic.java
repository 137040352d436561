package dev.meshgate.compiler;

import java.util.Comparator;
import java.util.Objects;

/**
 * A finding about a policy: a stable code (for docs, search and silencing), where it is, and a
 * message a newcomer can act on. {@code sourceLine} is the text of the line the span points at,
 * captured when the diagnostic is made so rendering needs no file access.
 */
public record Diagnostic(
    Severity severity, String code, Span span, String message, String sourceLine) {

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

  public static Diagnostic error(String code, Span span, Source source, String message) {
    return new Diagnostic(Severity.ERROR, code, span, message, source.line(span.line()));
  }

  public static Diagnostic warning(String code, Span span, Source source, String message) {
    return new Diagnostic(Severity.WARNING, code, span, message, source.line(span.line()));
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /**
   * The form people read, compiler style:
   *
   * <pre>
   * shop.mesh:14:7: error[MG201]: unknown service "catalg"; declared services: catalog, orders
   *    14 |     to catalg
   *       |        ^^^^^^
   * </pre>
   */
  public String render() {
    String lineNo = Integer.toString(span.line());
    String gutter = " ".repeat(lineNo.length());
    String expanded = sourceLine.replace('\t', ' ');
    int caretLength = Math.max(1, Math.min(span.length(), expanded.length() - span.column() + 1));
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
        + " ".repeat(span.column() - 1)
        + "^".repeat(caretLength);
  }
}
