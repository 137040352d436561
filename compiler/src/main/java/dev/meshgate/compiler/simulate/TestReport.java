package dev.meshgate.compiler.simulate;

import dev.meshgate.compiler.Span;
import java.util.List;

/**
 * Test results as people read them:
 *
 * <pre>
 * ✓ health check is answered by the gateway
 * ✗ a fifth of catalog traffic reaches v2
 *   quickstart.mesh:60:5: GET api.example/catalog/items via edge
 *     expected: catalog.v1 90%, catalog.v2 10%
 *     got:      catalog.v1 80%, catalog.v2 20%
 *     decided by route api.example/3 at quickstart.mesh:33:5
 *    60 |   expect GET api.example/catalog/items via edge => catalog.v1 90%, catalog.v2 10%
 *       |                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
 *
 * 1 passed, 1 failed
 * </pre>
 */
public final class TestReport {
  public static final String PASS = "✓";
  public static final String FAIL = "✗";

  private TestReport() {}

  /** Every test, a blank line, and the summary line. */
  public static String render(List<TestResult> results) {
    StringBuilder out = new StringBuilder();
    for (TestResult result : results) {
      out.append(render(result));
    }
    out.append('\n').append(summary(results)).append('\n');
    return out.toString();
  }

  /** {@code ✓ name}, or {@code ✗ name} followed by every failed expectation. */
  public static String render(TestResult result) {
    StringBuilder out = new StringBuilder();
    out.append(result.passed() ? PASS : FAIL).append(' ').append(result.test().name()).append('\n');
    for (ExpectationResult failure : result.failures()) {
      out.append(failure(failure));
    }
    return out.toString();
  }

  /** {@code 12 passed, 1 failed} (tests, not expectations). */
  public static String summary(List<TestResult> results) {
    long passed = results.stream().filter(TestResult::passed).count();
    return passed + " passed, " + (results.size() - passed) + " failed";
  }

  static String failure(ExpectationResult r) {
    Expectation e = r.expectation();
    StringBuilder out = new StringBuilder();
    out.append("  ").append(e.span()).append(": ");
    if (e.burst() > 1) {
      out.append("burst ").append(e.burst()).append(' ');
    }
    out.append(e.request()).append('\n');
    out.append("    expected: ").append(r.expected()).append('\n');
    out.append("    got:      ").append(r.got()).append('\n');
    for (ExpectationResult.CheckFailure problem : r.headerProblems()) {
      out.append("    wrong:    ").append(problem.message()).append('\n');
    }
    r.simulation().decidedBy().ifPresent(d -> out.append("    decided by ").append(d).append('\n'));
    for (String note : r.simulation().notes()) {
      out.append("    note: ").append(note).append('\n');
    }
    // The caret points at what is wrong: the outcome, else the first failing header check.
    if (!r.outcomeMatches()) {
      out.append(caret(e.outcomeSourceLine(), e.outcomeSpan()));
    } else if (!r.headerProblems().isEmpty()) {
      Expectation.HeaderCheck check = r.headerProblems().getFirst().check();
      out.append(caret(check.sourceLine(), check.span()));
    } else {
      out.append(caret(e.sourceLine(), e.span()));
    }
    return out.toString();
  }

  /**
   * The line with a caret under {@code span}, in the diagnostics' layout, indented to sit under its
   * test.
   */
  static String caret(String sourceLine, Span span) {
    String lineNo = Integer.toString(span.line());
    String expanded = sourceLine.replace('\t', ' ');
    int column = Math.min(span.column(), expanded.length() + 1);
    int length = Math.max(1, Math.min(span.length(), expanded.length() - column + 1));
    return "   "
        + lineNo
        + " | "
        + expanded
        + "\n"
        + "   "
        + " ".repeat(lineNo.length())
        + " | "
        + " ".repeat(column - 1)
        + "^".repeat(length)
        + "\n";
  }
}
