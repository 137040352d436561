package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Durations;
import dev.meshgate.compiler.Span;
import java.time.Duration;
import java.util.Optional;

/**
 * A duration as written ({@code 250ms}, {@code 2s}, {@code 1m}, {@code 2h}, {@code 7d}), in the one
 * syntax of {@link Durations}; may be invalid until checked.
 */
public record DurationLit(String text, Span span) implements Node {
  /** Durations longer than this are surely mistakes and would overflow Envoy's fields. */
  private static final long MAX_MILLIS = 365L * 24 * 3600 * 1000;

  /** The number part, as written. */
  public String amount() {
    return text.substring(0, digits());
  }

  /** The unit part, as written (valid ones are {@link Durations#UNITS}). */
  public String unit() {
    return text.substring(digits());
  }

  /**
   * How many ASCII digits the text starts with. Scanned, not matched: the checker asks every call's
   * and route's durations for their units, and a regex per literal was a twentieth of an edit's
   * check at 10,000 calls.
   */
  private int digits() {
    int i = 0;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    return i;
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
