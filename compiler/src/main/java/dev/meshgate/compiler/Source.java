package dev.meshgate.compiler;

import java.util.Objects;

/**
 * One policy file as the compiler sees it: the name diagnostics print and its text.
 *
 * @param name a display path, relative where possible (for example {@code examples/shop.mesh})
 * @param text the whole file
 */
public record Source(String name, String text) {
  public Source {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
  }

  /** The 1-based line {@code line} without its line break, or "" past the end. */
  public String line(int line) {
    String[] lines = text.split("\r?\n", -1);
    return line >= 1 && line <= lines.length ? lines[line - 1] : "";
  }
}
