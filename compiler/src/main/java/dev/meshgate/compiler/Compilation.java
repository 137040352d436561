package dev.meshgate.compiler;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one {@link Compiler#compile}: every diagnostic (sorted), the compiled policy when
 * there was no error, and the findings silenced by {@code # meshgate:ignore} comments (sorted; they
 * count for nothing, reports may list them).
 */
public record Compilation(
    List<Diagnostic> diagnostics, Optional<CompiledPolicy> policy, List<Suppressed> suppressed) {
  public Compilation {
    diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
    suppressed =
        suppressed.stream()
            .sorted(Comparator.comparing(Suppressed::diagnostic, Diagnostic.ORDER))
            .toList();
  }

  public Compilation(List<Diagnostic> diagnostics, Optional<CompiledPolicy> policy) {
    this(diagnostics, policy, List.of());
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  public boolean hasWarnings() {
    return diagnostics.stream().anyMatch(d -> !d.isError());
  }
}
