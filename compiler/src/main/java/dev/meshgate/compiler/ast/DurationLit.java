package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration as written ({@code 250ms}, {@code 2s}, {@code 1m}); may be invalid until checked. */
public record DurationLit(String text, Span span) implements Node {
  private static final Pattern SHAPE = Pattern.compile("([0-9]+)(.*)");

  /** Durations longer than this are surely mistakes and would overflow Envoy's fields. */
  private static final BigInteger MAX_MILLIS = BigInteger.valueOf(365L * 24 * 3600 * 1000);

  /** The number part, as written. */
  public String amount() {
    Matcher m = SHAPE.matcher(text);
    return m.matches() ? m.group(1) : "";
  }

  /** The unit part, as written ({@code ms}, {@code s}, {@code m} are valid). */
  public String unit() {
    Matcher m = SHAPE.matcher(text);
    return m.matches() ? m.group(2) : text;
  }

  /**
   * The duration, when the unit is known and the value fits (zero included: the checker rejects
   * it).
   */
  public Optional<Duration> value() {
    long factor =
        switch (unit()) {
          case "ms" -> 1;
          case "s" -> 1000;
          case "m" -> 60_000;
          default -> -1;
        };
    if (factor < 0 || amount().isEmpty()) {
      return Optional.empty();
    }
    BigInteger millis = new BigInteger(amount()).multiply(BigInteger.valueOf(factor));
    if (millis.compareTo(MAX_MILLIS) > 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(millis.longValueExact()));
  }
}
