package dev.meshgate.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Check policy files and report every finding.",
    description = {
      "Reports every error and warning of all files in one run, then a summary line.",
      "Exit 0 when there is no error (warnings allowed), 1 when there is one."
    })
final class CheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "*.mesh files, or directories searched for them; all are merged into one policy.")
  List<Path> paths;

  @Override
  public Integer call() {
    Policies.Compiled compiled = Policies.compile(paths);
    var diagnostics = compiled.compilation().diagnostics();
    Policies.report(spec.commandLine().getErr(), diagnostics, compiled.sources().size());
    return compiled.compilation().hasErrors() ? ExitCode.POLICY_ERRORS : ExitCode.OK;
  }
}
