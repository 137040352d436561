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

  /** The PATH that means standard input, as {@code fmt -} and {@code check -} take it. */
  static final Path STDIN = Path.of("-");

  /** The file name diagnostics give standard input. */
  static final String STDIN_NAME = "<stdin>";

  static boolean isStdin(List<Path> paths) {
    return paths.equals(List.of(STDIN));
  }

  private static String readStdin() {
    try {
      byte[] bytes = System.in.readAllBytes();
      return java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw UserError.failure("cannot read policy from standard input: it is not UTF-8 text");
    } catch (IOException e) {
      throw UserError.failure("cannot read policy from standard input: " + e.getMessage());
    }
  }

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
    if (paths.contains(STDIN)) {
      if (paths.size() > 1) {
        throw new UserError(
            ExitCode.USAGE,
            "'-' (standard input) must be the only PATH; give files or '-', not both");
      }
      return List.of(new Source(STDIN_NAME, readStdin()));
    }
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
    report(err, diagnostics, files, false);
  }

  /** {@link #report(PrintWriter, List, int)}, colored when {@code color} (see {@link Colors}). */
  static void report(PrintWriter err, List<Diagnostic> diagnostics, int files, boolean color) {
    for (int i = 0; i < diagnostics.size(); i++) {
      if (i > 0) {
        err.println();
      }
      err.println(render(diagnostics.get(i), color));
    }
    if (!diagnostics.isEmpty()) {
      err.println();
    }
    err.println(summary(diagnostics, files));
    err.flush();
  }

  static String render(Diagnostic d, boolean color) {
    return color ? Colors.diagnostic(d.render(), d.isError()) : d.render();
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
