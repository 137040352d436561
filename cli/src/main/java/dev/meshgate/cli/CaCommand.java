package dev.meshgate.cli;

import dev.meshgate.xds.identity.CertificateAuthority;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Manage the built-in CA that issues xDS and workload certificates.",
    description = {
      "'meshgate serve' creates a CA in its --ca-dir on first start; 'ca init' creates it ahead of"
          + " time, so that bootstraps can be written before the server first runs."
    },
    subcommands = {CaCommand.Init.class})
final class CaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header = "Create a new CA (ca.crt, ca.key) in --ca-dir.",
      description = {"Refuses (exit 3) when the directory already holds a CA."})
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--ca-dir",
        paramLabel = "DIR",
        defaultValue = Credentials.CA_DIR_DEFAULT,
        description =
            "Where to create it; pass the same to 'serve' and 'bootstrap' (default: $MESHGATE_CA_DIR,"
                + " else .meshgate/ca; now ${DEFAULT-VALUE}).")
    Path caDir;

    @Override
    public Integer call() {
      if (Files.exists(caDir.resolve(CertificateAuthority.CERT_FILE))
          || Files.exists(caDir.resolve(CertificateAuthority.KEY_FILE))) {
        throw UserError.failure(
            caDir
                + " already holds a CA; keep using it (every bootstrap trusts it), or remove"
                + " ca.crt and ca.key first to start over");
      }
      try {
        CertificateAuthority.loadOrCreate(caDir);
      } catch (IOException e) {
        throw UserError.failure("cannot create a CA in " + caDir + ": " + e.getMessage());
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "meshgate: created a new CA in "
              + caDir
              + " (ca.crt, ca.key); pass --ca-dir "
              + caDir
              + " to 'meshgate serve' and 'meshgate bootstrap'");
      err.flush();
      return ExitCode.OK;
    }
  }
}
