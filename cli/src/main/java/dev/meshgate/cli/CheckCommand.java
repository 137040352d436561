package dev.meshgate.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Check policy files and report every finding.",
    description = {
      "Reports every error and warning of all files in one run, then a summary line.",
      "Exit 0 when there is no error (warnings allowed), 1 when there is one (with --werror: or a warning).",
      "A finding is silenced in place with a comment `# meshgate:ignore CODE reason` on the line above it or at the end of its line"
          + " (see docs/language.md, Whole-policy analysis). JSON reports list silenced findings under"
          + " \"suppressed\", SARIF as results with an in-source suppression.",
      "With --catalog, also warns about services and subsets the live catalog has no instance"
          + " for (MG601..MG603); exit 3 when the catalog cannot be reached."
    })
final class CheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ReportOptions report;

  /** --catalog talks to Consul or Kubernetes, whose adapters log outages and retries. */
  @picocli.CommandLine.Mixin LoggingOptions logging;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "*.mesh files, or directories searched for them; all are merged into one policy."
              + " '-' reads one policy from standard input.")
  List<Path> paths;

  @Option(
      names = "--catalog",
      paramLabel = "CATALOG",
      description =
          "Also check against a live catalog: consul://HOST:PORT (https://HOST:PORT for TLS) or kubernetes (current kubeconfig context).")
  String catalog;

  @Option(
      names = "--consul-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:CONSUL_HTTP_TOKEN}",
      description = "Consul ACL token for --catalog consul://… (default: $CONSUL_HTTP_TOKEN).")
  String consulToken;

  @Option(
      names = "--consul-ca",
      paramLabel = "FILE",
      description = "PEM CA certificate(s) of the Consul agent's HTTPS certificate.")
  Path consulCa;

  @Option(
      names = "--catalog-timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationOption.class,
      description =
          "How long to wait for the catalog's answer per service (default: ${DEFAULT-VALUE}).")
  java.time.Duration catalogTimeout;

  @Option(
      names = "--werror",
      description =
          "Treat warnings as errors: exit 1 when there is any warning (silenced findings do not count);"
              + " JSON reports then say \"ok\": false, SARIF an exit code of 1.")
  boolean werror;

  @Option(
      names = "--show-suppressed",
      description =
          "Also list the findings silenced by `# meshgate:ignore` comments, each with its reason.")
  boolean showSuppressed;

  @Override
  public Integer call() {
    if (catalog != null) {
      // Only the catalog adapters log. Configuring logback costs a plain check about a fifth of
      // its start-up (500 classes, logback.xml parsed twice: issue 17.4), for nothing to log.
      logging.apply();
    }
    Policies.Compiled compiled = Policies.compile(paths);
    var diagnostics = compiled.compilation().diagnostics();
    if (catalog != null && compiled.compilation().policy().isPresent()) {
      diagnostics = new java.util.ArrayList<>(diagnostics);
      try (var live =
          CatalogArgument.open(
              catalog,
              java.util.Optional.ofNullable(consulToken),
              java.util.Optional.ofNullable(consulCa),
              catalogTimeout)) {
        diagnostics.addAll(
            LiveCatalogCheck.check(
                compiled.sources(),
                compiled.compilation().policy().get().ir(),
                live,
                catalogTimeout));
      }
      diagnostics.sort(dev.meshgate.compiler.Diagnostic.ORDER);
    }
    Policies.report(
        spec.commandLine().getErr(), diagnostics, compiled.sources().size(), Colors.enabled(spec));
    if (showSuppressed) {
      reportSuppressed(spec.commandLine().getErr(), compiled.compilation().suppressed());
    }
    boolean failed =
        compiled.compilation().hasErrors()
            || (werror && diagnostics.stream().anyMatch(d -> !d.isError()));
    report.write(
        spec,
        dev.meshgate.cli.report.Reports.check(
            report.format(),
            diagnostics,
            compiled.compilation().suppressed(),
            compiled.sources().size(),
            !failed));
    return failed ? ExitCode.POLICY_ERRORS : ExitCode.OK;
  }

  /** The silenced findings, rendered, each followed by the comment that silenced it and why. */
  private static void reportSuppressed(
      java.io.PrintWriter err, List<dev.meshgate.compiler.Suppressed> suppressed) {
    err.println(
        suppressed.isEmpty()
            ? "no suppressed findings"
            : Policies.plural(suppressed.size(), "suppressed finding") + ":");
    for (dev.meshgate.compiler.Suppressed s : suppressed) {
      err.println();
      err.println(s.render());
    }
    err.flush();
  }
}
