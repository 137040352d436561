package dev.meshgate.cli;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.ProxyResources;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "compile",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Compile policy files to Envoy resources on disk.",
    description = {
      "Writes one --out-dir DIR/<role>-<name>.json per proxy group (listeners, routes, clusters), byte-identical"
          + " for the same input, and prints the paths written. Nothing else in DIR is touched.",
      "Exit 1, writing nothing, when the policy has errors."
    })
final class CompileCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "*.mesh files, or directories searched for them.")
  List<Path> paths;

  // -o/--out are kept as aliases of earlier releases; elsewhere -o is --output FILE, so they are
  // deprecated here (a note says so) and left out of the help.
  @Option(
      names = {"--out-dir", "--out", "-o"},
      required = true,
      paramLabel = "DIR",
      description = "Where to write (created if missing). -o and --out are deprecated aliases.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (spec.commandLine().getParseResult().originalArgs().stream()
        .anyMatch(a ->
            a.equals("-o")
                || a.startsWith("-o") && !a.startsWith("--")
                || a.equals("--out")
                || a.startsWith("--out="))) {
      err.println(
          "meshgate: note: 'compile -o/--out' is deprecated (for other commands -o is a file);"
              + " write --out-dir DIR");
      err.flush();
    }
    Policies.Compiled compiled = Policies.compile(paths);
    var compilation = compiled.compilation();
    if (compilation.hasErrors() || compilation.policy().isEmpty()) {
      Policies.report(
          err, compilation.diagnostics(), compiled.sources().size(), Colors.enabled(spec));
      return ExitCode.POLICY_ERRORS;
    }
    if (!compilation.diagnostics().isEmpty()) {
      // Warnings do not stop compilation, but they are still worth reading.
      Policies.report(
          err, compilation.diagnostics(), compiled.sources().size(), Colors.enabled(spec));
    }
    CompiledPolicy policy = compilation.policy().get();
    createDirectory();
    for (ProxyResources group : policy.groups()) {
      Path file = out.resolve(group.group().fileStem() + ".json");
      write(file, EnvoyOutput.json(group));
      stdout.println(file);
    }
    stdout.flush();
    return ExitCode.OK;
  }

  private void createDirectory() {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw UserError.failure("cannot create output directory " + out + ": " + describe(e));
    }
  }

  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  private static void write(Path file, String content) {
    String text = content.endsWith("\n") ? content : content + "\n";
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
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
      throw UserError.failure("cannot write " + file + ": " + describe(e));
    }
  }

  static String describe(IOException e) {
    return switch (e) {
      case java.nio.file.AccessDeniedException a -> "permission denied";
      case java.nio.file.NoSuchFileException n -> "no such file or directory";
      case java.nio.file.FileAlreadyExistsException f -> "a file is in the way: " + f.getFile();
      default -> String.valueOf(e.getMessage());
    };
  }
}
