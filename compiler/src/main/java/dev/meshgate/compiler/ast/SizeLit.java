package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size as written: bytes ({@code 1024}) or a number with a unit ({@code 512b}, {@code 64kb},
 * {@code 1mb}; a kilobyte is 1024 bytes, as in Envoy's {@code max_request_headers_kb}). May be
 * invalid until checked (compression and request limits, issue 13).
 */
public record SizeLit(String text, Span span) implements Node {
  private static final Pattern SHAPE = Pattern.compile("([0-9]+)([a-z]*)");

  /** The units a size may carry, and their bytes; no unit means bytes. */
  public static final Map<String, Long> UNITS =
      Map.of("", 1L, "b", 1L, "kb", 1024L, "mb", 1L << 20);

  /** The unit part, as written. */
  public String unit() {
    Matcher m = SHAPE.matcher(text);
    return m.matches() ? m.group(2) : text;
  }

  /** The size in bytes, when the unit is known and the value fits in a long. */
  public Optional<Long> bytes() {
    Matcher m = SHAPE.matcher(text);
    if (!m.matches() || !UNITS.containsKey(m.group(2)) || m.group(1).length() > 15) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(m.group(1)) * UNITS.get(m.group(2)));
  }
}
