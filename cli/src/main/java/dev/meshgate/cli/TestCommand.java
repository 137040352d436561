package dev.meshgate.cli;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.simulate.PolicySimulator;
import dev.meshgate.compiler.simulate.TestReport;
import dev.meshgate.compiler.simulate.TestResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Run the policy's test blocks against its compiled Envoy configuration.",
    description = {
      "Compiles the policy, then evaluates every `expect` of every `test \"…\" { … }` block with an"
          + " in-process simulator of Envoy's routing and RBAC over the compiled resources (no Envoy is"
          + " started). Prints '✓ NAME' per passing test, '✗ NAME' with what was expected, what happened,"
          + " the route or rule that decided and the expectation's line per failing one, then a summary"
          + " line like '12 passed, 1 failed'.",
      "--format json or sarif writes a report of every test and diagnostic (failing expectations"
          + " are SARIF errors of rule meshgate-test) to stdout, or to FILE with -o/--output; the"
          + " lines above then go to stderr, so stdout holds only the report. See docs/ci.md.",
      "Exit 0 when every test passes (or there is none), 1 when a test fails or the policy has errors,"
          + " 2 on a usage error, 3 when a file cannot be read."
    })
final class TestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ReportOptions report;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "*.mesh files, or directories searched for them; all are merged into one policy.")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Policies.Compiled compiled = Policies.compile(paths);
    var compilation = compiled.compilation();
    if (compilation.hasErrors() || compilation.policy().isEmpty()) {
      Policies.report(
          err, compilation.diagnostics(), compiled.sources().size(), Colors.enabled(spec));
      report.write(
          spec, TestResultsReport.render(report.format(), List.of(), compilation.diagnostics()));
      return ExitCode.POLICY_ERRORS;
    }
    if (!compilation.diagnostics().isEmpty()) {
      Policies.report(
          err, compilation.diagnostics(), compiled.sources().size(), Colors.enabled(spec));
    }
    CompiledPolicy policy = compilation.policy().get();
    List<TestResult> results = run(policy);
    if (results.isEmpty()) {
      err.println(
          "meshgate: no test blocks in "
              + Policies.plural(compiled.sources().size(), "file")
              + "; add one like: test \"health\" { expect GET api.example/healthz via edge => 200 }");
    }
    // With --format json|sarif and no --output, stdout is the report, so the text moves to stderr.
    (report.format() == dev.meshgate.cli.report.Format.TEXT ? out : err)
        .print(TestReport.render(results));
    report.write(
        spec, TestResultsReport.render(report.format(), results, compilation.diagnostics()));
    out.flush();
    err.flush();
    return results.stream().allMatch(TestResult::passed) ? ExitCode.OK : ExitCode.POLICY_ERRORS;
  }

  /** Every test of the policy, simulated (what report writers format). */
  static List<TestResult> run(CompiledPolicy policy) {
    return PolicySimulator.run(policy);
  }
}
