package dev.meshgate.compiler;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one {@link Compiler#compile}: every diagnostic (sorted), and the compiled
 * policy when there was no error.
 */
public record Compilation(List<Diagnostic> diagnostics, Optional<CompiledPolicy> policy) {
  public Compilation {
    diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
