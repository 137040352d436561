package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.ast.PolicyFile;
import java.util.List;

/** A parsed file: its syntax tree (possibly partial) and its syntax diagnostics. */
public record ParsedFile(PolicyFile file, List<Diagnostic> diagnostics) {
  public ParsedFile {
    diagnostics = List.copyOf(diagnostics);
  }
}
