package dev.meshgate.cli;

import dev.meshgate.cli.report.Format;
import dev.meshgate.cli.report.PlanReport;
import dev.meshgate.cli.report.Reports;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.plan.Plan;
import dev.meshgate.compiler.plan.PolicyPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Show what a policy change does to the Envoy configuration of each proxy group.",
    description = {
      "Compiles the base policy (--base: a directory or file, or a git revision such as HEAD or"
          + " origin/main, read from the repository holding PATH) and the policy at PATH, and lists"
          + " per proxy group the listeners, routes, clusters, endpoints and secrets added (+),"
          + " removed (-) or changed (~), with the changed fields, and which proxies each change reaches.",
      "",
      "Exit codes: 0 no changes, 4 changes present, 1 policy errors on either side,"
          + " 2 usage error, 3 other failure (git, file, server)."
    })
final class PlanCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--base",
      required = true,
      paramLabel = "PATH|REV",
      description =
          "The policy to compare with: an existing file or directory, else a git revision (HEAD, origin/main, a commit).")
  String base;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "*.mesh files, or directories searched for them: the new policy.")
  List<Path> paths;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = Format.Converter.class,
      completionCandidates = Format.All.class,
      description =
          "text (for people, the default), json (for scripts; see docs/ci.md) or sarif (the policies' findings).")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE instead of stdout.")
  Path output;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "A running server's admin address (http://HOST:PORT): count the proxies of each group connected to it now.")
  String server;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    List<String> shown = paths.stream().map(Path::toString).toList();
    if (paths.contains(Policies.STDIN)) {
      throw new UserError(
          ExitCode.USAGE, "plan reads files, not standard input: give PATH, not '-'");
    }
    // A malformed --server is a usage error before any compiling.
    Optional<java.net.URI> status = Optional.ofNullable(server).map(ServerStatus::statusUri);
    List<Source> newSources = Policies.load(paths);
    List<Source> baseSources = baseSources(err);
    Compilation before = Compiler.compile(baseSources);
    Compilation after = Compiler.compile(newSources);
    if (before.hasErrors() || after.hasErrors()) {
      String report =
          Reports.planErrors(format, base, shown, before.diagnostics(), after.diagnostics());
      if (format == Format.TEXT && output == null) {
        err.print(report); // diagnostics belong on stderr
        err.flush();
      } else {
        emit(report);
        err.println(
            "meshgate: no plan: the "
                + side(before.hasErrors(), after.hasErrors())
                + " has policy errors");
        err.flush();
      }
      return ExitCode.POLICY_ERRORS;
    }
    Optional<Map<String, Integer>> connected =
        status.map(uri -> ServerStatus.connectedProxies(server, uri));
    if (!after.diagnostics().isEmpty()) {
      // Warnings do not stop a plan, but a reviewer should see them next to it.
      Policies.report(err, after.diagnostics(), newSources.size(), Colors.enabled(spec));
    }
    Plan plan = PolicyPlan.diff(groups(before), groups(after));
    PlanReport report =
        new PlanReport(base, shown, plan, before.diagnostics(), after.diagnostics(), connected);
    emit(Reports.plan(format, report));
    if (output != null || format != Format.TEXT) {
      err.println(Reports.planSummary(plan));
      err.flush();
    }
    return plan.hasChanges() ? ExitCode.CHANGES : ExitCode.OK;
  }

  private static String side(boolean base, boolean now) {
    return base && now ? "base and the new policy" : base ? "base" : "new policy";
  }

  private static List<ProxyResources> groups(Compilation compilation) {
    return compilation.policy().map(p -> p.groups()).orElse(List.of());
  }

  /**
   * An existing path is read from disk; anything else must be a git revision of the repository
   * holding the policy. An empty base is allowed (a first deployment: everything is added).
   */
  private List<Source> baseSources(PrintWriter err) {
    Path asPath = Path.of(base);
    List<Source> sources;
    if (Files.exists(asPath)) {
      try {
        sources = PolicySources.load(List.of(asPath));
      } catch (IOException e) {
        throw UserError.failure("cannot read base policy " + base + ": " + e.getMessage());
      }
    } else {
      Path repository =
          GitBase.repository(paths.getFirst())
              .orElseThrow(() ->
                  UserError.failure(
                      "--base "
                          + base
                          + ": no such file or directory, and "
                          + paths.getFirst()
                          + " is not in a git repository to read a revision from"));
      if (!GitBase.isRevision(repository, base)) {
        throw UserError.failure(
            "--base "
                + base
                + ": no such file or directory, and not a git revision of "
                + repository
                + " (in CI, fetch it first: git fetch origin main)");
      }
      sources = GitBase.load(base, paths);
    }
    if (sources.isEmpty()) {
      err.println(
          "meshgate: the base ("
              + base
              + ") has no policy files (*"
              + PolicySources.EXTENSION
              + ") there; planning a first deployment");
      err.flush();
    }
    return sources;
  }

  private void emit(String report) {
    if (output == null) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(report);
      out.flush();
      return;
    }
    try {
      Reports.write(output, report);
    } catch (IOException e) {
      throw UserError.failure("cannot write " + output + ": " + CompileCommand.describe(e));
    }
  }
}
