package dev.meshgate.cli.report;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --format}: text for people, JSON for scripts, SARIF for code-scanning tools. */
public enum Format {
  TEXT,
  JSON,
  SARIF;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Lower case on the command line, as written in the help ({@code --format sarif}). */
  public static final class Converter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected text, json or sarif, got '" + value + "'");
      }
    }
  }

  /** The values for picocli's help and completion: text, json, sarif. */
  public static final class All implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.List.of("text", "json", "sarif").iterator();
    }
  }
}
