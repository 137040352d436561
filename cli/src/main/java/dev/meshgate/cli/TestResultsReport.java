package dev.meshgate.cli;

import dev.meshgate.cli.report.Format;
import dev.meshgate.cli.report.Reports;
import dev.meshgate.cli.report.TestCaseResult;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.simulate.ExpectationResult;
import dev.meshgate.compiler.simulate.TestReport;
import dev.meshgate.compiler.simulate.TestResult;
import java.util.List;

/**
 * {@code meshgate test}'s results in a {@link Format}: the simulator's text, or a report of them.
 */
final class TestResultsReport {
  private TestResultsReport() {}

  static String render(Format format, List<TestResult> results, List<Diagnostic> diagnostics) {
    if (format == Format.TEXT) {
      return TestReport.render(results);
    }
    return Reports.testResults(
        format, results.stream().map(TestResultsReport::testCase).toList(), diagnostics);
  }

  private static TestCaseResult testCase(TestResult result) {
    return new TestCaseResult(
        result.test().name(),
        result.test().span(),
        result.failures().stream().map(TestResultsReport::failure).toList());
  }

  private static TestCaseResult.Failure failure(ExpectationResult r) {
    String rendered =
        r.expectation().span()
            + ": "
            + r.expectation().request()
            + "\n  expected: "
            + r.expected()
            + "\n  got:      "
            + r.got()
            + r.headerProblems().stream().map(p -> "\n  " + p.message()).reduce("", String::concat);
    return new TestCaseResult.Failure(
        r.expectation().span(), String.join("; ", r.problems()), rendered);
  }
}
