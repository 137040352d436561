package dev.meshgate.cli;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Loading, compiling and reporting on policy files: what check, compile and serve share. */
final class Policies {
  private Policies() {}

  /** The loaded sources and what compiling them gave. */
  record Compiled(List<Source> sources, Compilation compilation) {}

  static Compiled compile(List<Path> paths) {
    List<Source> sources = load(paths);
    return new Compiled(sources, Compiler.compile(sources));
  }

  /**
   * Every {@code *.mesh} under {@code paths}; a missing or unreadable path is a {@link UserError}.
   */
  static List<Source> load(List<Path> paths) {
    List<Source> sources;
    try {
      sources = PolicySources.load(paths);
    } catch (NoSuchFileException e) {
      throw UserError.failure("cannot read policy: no such file or directory: " + e.getFile());
    } catch (AccessDeniedException e) {
      throw UserError.failure("cannot read policy: permission denied: " + e.getFile());
    } catch (IOException e) {
      throw UserError.failure("cannot read policy: " + e.getMessage());
    }
    if (sources.isEmpty()) {
      throw UserError.failure(
          "no policy files (*" + PolicySources.EXTENSION + ") found in: " + join(paths));
    }
    return sources;
  }

  /**
   * Every diagnostic, rendered, separated by blank lines, then one summary line: {@code 2 errors, 1
   * warning in 3 files} or {@code ok: 3 files, no findings}.
   */
  static void report(PrintWriter err, List<Diagnostic> diagnostics, int files) {
    for (int i = 0; i < diagnostics.size(); i++) {
      if (i > 0) {
        err.println();
      }
      err.println(diagnostics.get(i).render());
    }
    if (!diagnostics.isEmpty()) {
      err.println();
    }
    err.println(summary(diagnostics, files));
    err.flush();
  }

  static String summary(List<Diagnostic> diagnostics, int files) {
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

  static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String join(List<Path> paths) {
    return String.join(", ", paths.stream().map(Path::toString).toList());
  }
}
