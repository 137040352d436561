package dev.meshgate.cli.report;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Suppressed;
import dev.meshgate.compiler.plan.Plan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The reports of {@code check}, {@code test} and {@code plan} in each {@link Format}, as one string
 * ending in a newline. Commands choose where it goes ({@code --output FILE} or stdout) and keep
 * their own exit codes; the format never changes an exit code.
 */
public final class Reports {
  private static final String VERSION = readVersion();

  private Reports() {}

  /**
   * {@code check}: text is what check prints on stderr (rendered diagnostics and the summary line);
   * JSON and SARIF list every diagnostic.
   */
  public static String check(Format format, List<Diagnostic> diagnostics, int files) {
    return check(
        format, diagnostics, List.of(), files, diagnostics.stream().noneMatch(Diagnostic::isError));
  }

  /**
   * {@code check} as the command decided: {@code ok} is its exit decision (false when {@code
   * --werror} fails on warnings alone), which JSON reports as {@code "ok"} and SARIF as the run's
   * invocation exit code. {@code suppressed} are the findings silenced in place: JSON lists them
   * under {@code "suppressed"}, SARIF as results with an {@code inSource} suppression; text leaves
   * them out (check prints them with --show-suppressed).
   */
  public static String check(
      Format format,
      List<Diagnostic> diagnostics,
      List<Suppressed> suppressed,
      int files,
      boolean ok) {
    return switch (format) {
      case TEXT -> diagnosticsText(diagnostics) + checkSummary(diagnostics, files) + "\n";
      case JSON -> Json.print(Json.check(diagnostics, suppressed, files, ok));
      case SARIF -> {
        List<Sarif.Finding> findings = new ArrayList<>(Sarif.findings(diagnostics));
        findings.addAll(Sarif.suppressedFindings(suppressed));
        yield Json.print(Sarif.log(findings, Optional.of(checkOutcome(diagnostics, ok))));
      }
    };
  }

  /** check's exit code (0 or 1: a report is only written when the policy could be read) and why. */
  private static Sarif.Outcome checkOutcome(List<Diagnostic> diagnostics, boolean ok) {
    if (ok) {
      return new Sarif.Outcome(0, Optional.empty());
    }
    long errors = diagnostics.stream().filter(Diagnostic::isError).count();
    String why =
        errors > 0
            ? "the policy has " + plural(errors, "error")
            : plural(diagnostics.size(), "warning") + ", treated as errors (--werror)";
    return new Sarif.Outcome(1, Optional.of(why));
  }

  /**
   * {@code test}: every test block's outcome and the policy's diagnostics. SARIF reports each
   * failing {@code expect} as an error of rule {@code meshgate-test} at the expect's span, plus the
   * diagnostics; JSON has the schema of docs/ci.md; text is "PASS name" / "FAIL name" lines with
   * the rendered failures, then a summary (a command may print its own text instead).
   */
  public static String testResults(
      Format format, List<TestCaseResult> tests, List<Diagnostic> diagnostics) {
    return switch (format) {
      case TEXT -> testText(tests, diagnostics);
      case JSON -> Json.print(Json.tests(tests, diagnostics));
      case SARIF -> {
        List<Sarif.Finding> findings = new ArrayList<>(Sarif.findings(diagnostics));
        for (TestCaseResult test : tests) {
          for (TestCaseResult.Failure failure : test.failures()) {
            findings.add(
                new Sarif.Finding(
                    Rules.TestRule.ID,
                    "error",
                    failure.span(),
                    "test \"" + test.name() + "\" failed: " + failure.message()));
          }
        }
        yield Json.print(Sarif.log(findings));
      }
    };
  }

  /**
   * {@code plan}: text for review, JSON with the schema of docs/ci.md, SARIF of both sides'
   * warnings.
   */
  public static String plan(Format format, PlanReport report) {
    return switch (format) {
      case TEXT -> PlanText.render(report);
      case JSON -> Json.print(Json.plan(report));
      case SARIF -> Json.print(Sarif.log(sides(report.baseDiagnostics(), report.newDiagnostics())));
    };
  }

  /**
   * {@code plan} stopped by policy errors on one side or both: the diagnostics in {@code format}.
   */
  public static String planErrors(
      Format format,
      String base,
      List<String> paths,
      List<Diagnostic> baseDiagnostics,
      List<Diagnostic> newDiagnostics) {
    return switch (format) {
      case TEXT -> {
        StringBuilder out = new StringBuilder();
        if (baseDiagnostics.stream().anyMatch(Diagnostic::isError)) {
          out.append("base (").append(base).append("):\n").append(diagnosticsText(baseDiagnostics));
        }
        if (newDiagnostics.stream().anyMatch(Diagnostic::isError)) {
          out.append("new (")
              .append(String.join(" ", paths))
              .append("):\n")
              .append(diagnosticsText(newDiagnostics));
        }
        yield out.append("no plan: fix the policy errors above\n").toString();
      }
      case JSON -> Json.print(Json.planErrors(base, paths, baseDiagnostics, newDiagnostics));
      case SARIF -> Json.print(Sarif.log(sides(baseDiagnostics, newDiagnostics)));
    };
  }

  /** The one-line summary of a plan, as the text plan ends. */
  public static String planSummary(Plan plan) {
    return PlanText.summary(plan);
  }

  /**
   * Writes a report to {@code file} through a temporary file and a rename, so a CI step reading it
   * never sees half a report. Parent directories are created.
   */
  public static void write(Path file, String report) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, report, StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The meshgate version reports name (the same as {@code meshgate --version}). */
  static String toolVersion() {
    return VERSION;
  }

  private static List<Sarif.Finding> sides(List<Diagnostic> base, List<Diagnostic> now) {
    // Base findings only where they are errors: its warnings are not this change's doing.
    List<Sarif.Finding> findings =
        new ArrayList<>(Sarif.findings(base.stream().filter(Diagnostic::isError).toList()));
    findings.addAll(Sarif.findings(now));
    return findings;
  }

  private static String diagnosticsText(List<Diagnostic> diagnostics) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      out.append(d.render()).append("\n\n");
    }
    return out.toString();
  }

  private static String checkSummary(List<Diagnostic> diagnostics, int files) {
    long errors = diagnostics.stream().filter(Diagnostic::isError).count();
    long warnings = diagnostics.size() - errors;
    if (diagnostics.isEmpty()) {
      return "ok: " + plural(files, "file") + ", no findings";
    }
    return plural(errors, "error")
        + ", "
        + plural(warnings, "warning")
        + " in "
        + plural(files, "file");
  }

  private static String testText(List<TestCaseResult> tests, List<Diagnostic> diagnostics) {
    StringBuilder out = new StringBuilder(diagnosticsText(diagnostics));
    long failed = 0;
    for (TestCaseResult test : tests) {
      out.append(test.passed() ? "PASS " : "FAIL ").append(test.name()).append("\n");
      for (TestCaseResult.Failure failure : test.failures()) {
        out.append(failure.rendered().indent(2));
      }
      failed += test.passed() ? 0 : 1;
    }
    out.append(plural(tests.size(), "test"))
        .append(", ")
        .append(tests.size() - failed)
        .append(" passed, ")
        .append(failed)
        .append(" failed\n");
    return out.toString();
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String readVersion() {
    Properties p = new Properties();
    try (InputStream in =
        Reports.class.getResourceAsStream("/dev/meshgate/cli/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Reports still work; they just cannot say which version wrote them.
    }
    String v = p.getProperty("version", "");
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }
}
