package dev.meshgate.cli;

import dev.meshgate.cli.report.Format;
import dev.meshgate.cli.report.Reports;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --format text|json|sarif} and {@code --output FILE} for commands whose text output is
 * diagnostics on stderr ({@code check}, {@code test}). The stderr text is always printed, so a CI
 * log shows the findings; a JSON or SARIF report goes to stdout, or to FILE with {@code --output}
 * (with text too: the same text as stderr, into the file).
 */
final class ReportOptions {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = Format.Converter.class,
      completionCandidates = Format.All.class,
      description =
          "text (default), json or sarif (SARIF 2.1.0, for code scanning); see docs/ci.md.")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE instead of stdout.")
  Path output;

  Format format() {
    return format == null ? Format.TEXT : format;
  }

  /**
   * Writes {@code report} (made in {@link #format()}) where the options say; text without --output
   * is already on stderr.
   */
  void write(CommandSpec spec, String report) {
    if (output == null) {
      if (format() != Format.TEXT) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        out.flush();
      }
      return;
    }
    try {
      Reports.write(output, report);
    } catch (IOException e) {
      throw UserError.failure("cannot write " + output + ": " + CompileCommand.describe(e));
    }
  }
}
