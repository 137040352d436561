package dev.meshgate.compiler;

import java.util.Objects;

/**
 * A finding silenced in place by a {@code # meshgate:ignore CODE reason} comment: not counted, not
 * printed by default, but kept so reports can list it with its reason (SARIF calls this an
 * in-source suppression).
 *
 * @param diagnostic the finding as it would have been reported
 * @param comment where the ignore comment is
 * @param reason the reason written in the comment
 */
public record Suppressed(Diagnostic diagnostic, Span comment, String reason) {
  public Suppressed {
    Objects.requireNonNull(diagnostic, "diagnostic");
    Objects.requireNonNull(comment, "comment");
    Objects.requireNonNull(reason, "reason");
  }

  /** The finding, rendered, then the line that silenced it. */
  public String render() {
    return diagnostic.render() + "\n = suppressed by " + comment + ": " + reason;
  }
}
