package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.ast.PolicyFile;
import java.util.List;

/**
 * A parsed file: its syntax tree (possibly partial) and its syntax diagnostics (at most {@link
 * dev.meshgate.compiler.DiagnosticLimit#PER_FILE} and a line counting the rest).
 *
 * @param analysable false when the file was beyond an input limit or had more syntax errors than
 *     are shown: its tree is then too partial for further analysis to say anything useful
 */
public record ParsedFile(PolicyFile file, List<Diagnostic> diagnostics, boolean analysable) {
  public ParsedFile {
    diagnostics = List.copyOf(diagnostics);
  }

  public ParsedFile(PolicyFile file, List<Diagnostic> diagnostics) {
    this(file, diagnostics, true);
  }
}
