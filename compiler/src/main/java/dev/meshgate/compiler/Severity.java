package dev.meshgate.compiler;

/** How serious a finding is: errors stop compilation, warnings do not. */
public enum Severity {
  ERROR,
  WARNING;

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
