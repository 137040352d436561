package dev.meshgate.compiler.plan;

import java.util.Locale;

/** How something differs between the base policy and the new one. */
public enum Change {
  ADDED("+"),
  REMOVED("-"),
  CHANGED("~"),
  UNCHANGED(" ");

  private final String marker;

  Change(String marker) {
    this.marker = marker;
  }

  /** {@code +}, {@code -}, {@code ~} or a space: the mark a text plan puts before a line. */
  public String marker() {
    return marker;
  }

  /** {@code added}, {@code removed}, …: the word JSON output and prose use. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
