package dev.meshgate.compiler.ir;

/** A header or query parameter condition: {@code = "v"} exact, {@code ~ "re"} RE2 regex. */
public record ValueMatchIr(String name, Kind kind, String value) {
  public enum Kind {
    EXACT,
    REGEX
  }
}
