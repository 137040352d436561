package dev.meshgate.cli.report;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Objects;

/**
 * One policy {@code test "…" { … }} block's outcome, as {@code meshgate test} hands it to {@link
 * Reports#testResults}: its name, where the block starts, and each failing {@code expect} (none
 * when it passed).
 */
public record TestCaseResult(String name, Span span, List<Failure> failures) {
  public TestCaseResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(span, "span");
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  /**
   * A failing {@code expect}: its span, a one-line message (expected vs got, the deciding route or
   * rule), and the full text form people read (with the expect line and a caret).
   */
  public record Failure(Span span, String message, String rendered) {
    public Failure {
      Objects.requireNonNull(span, "span");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(rendered, "rendered");
    }
  }
}
