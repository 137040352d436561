package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Durations;
import dev.meshgate.compiler.Span;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as written ({@code 250ms}, {@code 2s}, {@code 1m}, {@code 2h}, {@code 7d}), in the one
 * syntax of {@link Durations}; may be invalid until checked.
 */
public record DurationLit(String text, Span span) implements Node {
  private static final Pattern SHAPE = Pattern.compile("([0-9]+)(.*)");

  /** Durations longer than this are surely mistakes and would overflow Envoy's fields. */
  private static final long MAX_MILLIS = 365L * 24 * 3600 * 1000;

  /** The number part, as written. */
  public String amount() {
    Matcher m = SHAPE.matcher(text);
    return m.matches() ? m.group(1) : "";
  }

  /** The unit part, as written (valid ones are {@link Durations#UNITS}). */
  public String unit() {
    Matcher m = SHAPE.matcher(text);
    return m.matches() ? m.group(2) : text;
  }

  /**
   * The duration, parsed by {@link Durations#parse}, when the unit is known and the value fits
   * (zero included: the checker rejects it).
   */
  public Optional<Duration> value() {
    try {
      Duration d = Durations.parse(text);
      return d.toMillis() > MAX_MILLIS ? Optional.empty() : Optional.of(d);
    } catch (IllegalArgumentException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
