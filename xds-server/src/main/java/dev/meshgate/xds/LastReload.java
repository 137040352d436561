package dev.meshgate.xds;

import dev.meshgate.compiler.Diagnostic;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of the latest policy (re)load. {@code ok=false} means the server kept serving the
 * last good policy; {@code diagnostics} says why (compile errors), or {@code error} does (the files
 * could not be read, or the policy could not be served). {@code held} means the new policy compiled
 * but would remove too much of what is served ({@link RemovalGuard}); {@code error} says what.
 */
record LastReload(
    boolean ok, Instant at, List<Diagnostic> diagnostics, Optional<String> error, boolean held) {
  LastReload {
    diagnostics = List.copyOf(diagnostics);
  }

  LastReload(boolean ok, Instant at, List<Diagnostic> diagnostics, Optional<String> error) {
    this(ok, at, diagnostics, error, false);
  }
}
