package dev.meshgate.cli;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.format.FormatResult;
import dev.meshgate.compiler.format.PolicyFormatter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
      "With --check nothing is written: the paths of files that would change are printed, for CI."
          + " With --diff nothing is written either: a unified diff of each file that would change is"
          + " printed instead.",
      "'fmt -' reads a policy from standard input and prints it formatted on stdout (for editors"
          + " and pre-commit hooks); with --check or --diff, as for files.",
      "Exit 0 when every file is (now) canonical, 1 when a file has syntax errors or, with --check,"
          + " would change, 2 on a usage error."
    })
final class FmtCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "*.mesh files, or directories searched for them; '-' for standard input.")
  List<Path> paths;

  @Option(
      names = "--check",
      description = "Write nothing; exit 1 and list the files that are not canonical.")
  boolean check;

  @Option(
      names = "--diff",
      description = "Write nothing; print a unified diff of each file that is not canonical.")
  boolean diff;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Source> sources = Policies.load(paths);
    boolean stdin = Policies.isStdin(paths);
    boolean color = Colors.enabled(spec);
    int changed = 0;
    int refused = 0;
    for (Source source : sources) {
      FormatResult result = PolicyFormatter.format(source);
      if (result.formatted().isEmpty()) {
        refused++;
        for (Diagnostic d : result.diagnostics()) {
          err.println(Policies.render(d, color));
          err.println();
        }
        continue;
      }
      String formatted = result.formatted().get();
      if (stdin && !check && !diff) {
        out.print(formatted); // the editor's buffer, replaced whether or not it changed
        continue;
      }
      if (result.changed()) {
        changed++;
        if (diff) {
          out.print(unifiedDiff(source, formatted));
        } else if (!check) {
          write(Path.of(source.name()), formatted);
        }
        if (!diff) {
          out.println(source.name());
        }
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

  /** What formatting changes, as {@code diff -u} shows it. */
  static String unifiedDiff(Source source, String formatted) {
    List<String> before = source.text().lines().toList();
    List<String> after = formatted.lines().toList();
    List<String> lines =
        com.github.difflib.UnifiedDiffUtils.generateUnifiedDiff(
            source.name(),
            source.name() + " (formatted)",
            before,
            com.github.difflib.DiffUtils.diff(before, after),
            3);
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }

  /**
   * Replaces the file through a temporary sibling and a rename, so an editor or a running {@code
   * meshgate serve} never reads half a file. The temporary file gets the original's permissions (it
   * is created 0600); a symbolic link is followed, not replaced.
   */
  private static void write(Path path, String text) {
    Path file;
    java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions;
    try {
      file = path.toRealPath();
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      permissions =
          posix != null
              ? posix.readAttributes().permissions()
              : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
    } catch (IOException e) {
      throw UserError.failure("cannot write " + path + ": " + CompileCommand.describe(e));
    }
    PrivateFiles.replace(file, path, text, permissions);
  }
}
