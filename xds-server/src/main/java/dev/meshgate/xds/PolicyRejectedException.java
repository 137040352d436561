package dev.meshgate.xds;

import dev.meshgate.compiler.Diagnostic;
import java.util.List;

/**
 * The policy given to {@link MeshgateServer#start} has errors, so there is nothing to serve.
 * Carries every diagnostic of the compilation (errors and warnings, sorted) for the caller to print
 * with {@link Diagnostic#render()}.
 */
public final class PolicyRejectedException extends Exception {
  private final transient List<Diagnostic> diagnostics;

  public PolicyRejectedException(List<Diagnostic> diagnostics) {
    super(summary(diagnostics));
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  private static String summary(List<Diagnostic> diagnostics) {
    long errors = diagnostics.stream().filter(Diagnostic::isError).count();
    return "policy rejected: " + errors + (errors == 1 ? " error" : " errors");
  }
}
