package dev.meshgate.compiler.format;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import java.util.List;
import java.util.Optional;

/**
 * What formatting one file gave: the canonical text, or (when the file has syntax errors and so was
 * not rewritten) the syntax diagnostics that explain why.
 */
public record FormatResult(
    Source source, Optional<String> formatted, List<Diagnostic> diagnostics) {
  public FormatResult {
    diagnostics = List.copyOf(diagnostics);
  }

  static FormatResult formatted(Source source, String text) {
    return new FormatResult(source, Optional.of(text), List.of());
  }

  static FormatResult refused(Source source, List<Diagnostic> diagnostics) {
    return new FormatResult(source, Optional.empty(), diagnostics);
  }

  /** True when the file was formatted and its canonical text differs from what was read. */
  public boolean changed() {
    return formatted.isPresent() && !formatted.get().equals(source.text());
  }
}
