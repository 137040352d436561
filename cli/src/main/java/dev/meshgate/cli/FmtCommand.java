package dev.meshgate.cli;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.format.FormatResult;
import dev.meshgate.compiler.format.PolicyFormatter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "fmt",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Rewrite policy files in the canonical layout.",
    description = {
      "Rewrites each file that is not in the canonical layout (comments are kept) and prints its"
          + " path. A file with syntax errors is never rewritten: its diagnostics are printed instead.",
      "With --check nothing is written: the paths of files that would change are printed, for CI.",
      "Exit 0 when every file is (now) canonical, 1 when a file has syntax errors or, with --check,"
          + " would change, 2 on a usage error."
    })
final class FmtCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "*.mesh files, or directories searched for them.")
  List<Path> paths;

  @Option(
      names = "--check",
      description = "Write nothing; exit 1 and list the files that are not canonical.")
  boolean check;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Source> sources = Policies.load(paths);
    int changed = 0;
    int refused = 0;
    for (Source source : sources) {
      FormatResult result = PolicyFormatter.format(source);
      if (result.formatted().isEmpty()) {
        refused++;
        for (Diagnostic d : result.diagnostics()) {
          err.println(d.render());
          err.println();
        }
        continue;
      }
      if (result.changed()) {
        changed++;
        if (!check) {
          write(Path.of(source.name()), result.formatted().get());
        }
        out.println(source.name());
      }
    }
    out.flush();
    if (refused > 0) {
      err.println(
          "meshgate: "
              + Policies.plural(refused, "file")
              + " not formatted: fix the syntax errors above first");
    }
    if (check && changed > 0) {
      err.println(
          "meshgate: "
              + Policies.plural(changed, "file")
              + " not in canonical layout; run 'meshgate fmt' on "
              + (changed == 1 ? "it" : "them"));
    }
    err.flush();
    return refused > 0 || (check && changed > 0) ? ExitCode.POLICY_ERRORS : ExitCode.OK;
  }

  /**
   * Replaces the file through a temporary sibling and a rename, so an editor or a running {@code
   * meshgate serve} never reads half a file. The temporary file gets the original's permissions (it
   * is created 0600); a symbolic link is followed, not replaced.
   */
  private static void write(Path path, String text) {
    Path file;
    Path tmp = null;
    try {
      file = path.toRealPath();
      tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null) {
        Files.setPosixFilePermissions(tmp, posix.readAttributes().permissions());
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the write failure below is what matters.
        }
      }
      throw UserError.failure("cannot write " + path + ": " + CompileCommand.describe(e));
    }
  }
}
