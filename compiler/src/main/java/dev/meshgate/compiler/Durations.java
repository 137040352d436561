package dev.meshgate.compiler;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The one duration syntax of Meshgate, for policies and command-line options alike: a whole number
 * glued to a unit, {@code 500ms}, {@code 2s}, {@code 5m}, {@code 2h}, {@code 7d}. A bare {@code 0}
 * is zero. Nothing else is accepted (no fractions, signs, spaces inside, or compound forms like
 * {@code 1h30m}), so every duration reads the same wherever it is written.
 *
 * <p>Parsing scans characters rather than matching a regular expression: the text may come from a
 * user and must never cost more than its length.
 */
public final class Durations {
  /** The units, shortest first, as written after the number. */
  public static final List<String> UNITS = List.of("ms", "s", "m", "h", "d");

  /** What every error message ends with, so each says how to write it right. */
  static final String EXPECTED =
      "write a whole number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d";

  /** Longer than anyone means (and than {@link Duration} arithmetic keeps exact in millis). */
  private static final int MAX_DIGITS = 9;

  private Durations() {}

  /**
   * The duration {@code text} denotes.
   *
   * @throws IllegalArgumentException with a one-line message saying what is wrong with {@code text}
   *     and how to write it
   */
  public static Duration parse(String text) {
    if (text.isEmpty()) {
      throw error("empty duration; " + EXPECTED);
    }
    int digits = 0;
    while (digits < text.length() && isDigit(text.charAt(digits))) {
      digits++;
    }
    if (digits == 0) {
      throw error("'" + text + "' is not a duration: it must start with a number; " + EXPECTED);
    }
    if (digits > MAX_DIGITS) {
      throw error(
          "'" + shorten(text) + "' is not a duration: the number is too large; " + EXPECTED);
    }
    long amount = Long.parseLong(text.substring(0, digits));
    String unit = text.substring(digits);
    if (unit.isEmpty()) {
      if (amount == 0) {
        return Duration.ZERO;
      }
      throw error("'" + text + "' has no unit; " + EXPECTED);
    }
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> throw error(unknownUnit(text, unit));
    };
  }

  /**
   * {@code duration} written in this syntax, in the largest unit that keeps it exact: {@code 2h},
   * {@code 90s}, {@code 1500ms}. {@code parse(format(d))} is {@code d} for any non-negative
   * duration of whole milliseconds.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative duration " + duration);
    }
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0";
    }
    if (millis % 86_400_000L == 0) {
      return millis / 86_400_000L + "d";
    }
    if (millis % 3_600_000L == 0) {
      return millis / 3_600_000L + "h";
    }
    if (millis % 60_000L == 0) {
      return millis / 60_000L + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }

  private static String unknownUnit(String text, String unit) {
    String lower = unit.toLowerCase(Locale.ROOT);
    if (!lower.equals(unit) && UNITS.contains(lower)) {
      return "'" + shorten(text) + "': units are lower case, write " + amountOf(text) + lower;
    }
    if (unit.startsWith(".") || unit.startsWith(",")) {
      return "'"
          + shorten(text)
          + "' is not a duration: no fractions, use a smaller unit (1500ms, not 1.5s); "
          + EXPECTED;
    }
    return "'"
        + shorten(text)
        + "' is not a duration: unknown unit '"
        + shorten(unit)
        + "'; "
        + EXPECTED;
  }

  private static String amountOf(String text) {
    int i = 0;
    while (i < text.length() && isDigit(text.charAt(i))) {
      i++;
    }
    return text.substring(0, i);
  }

  /** User text echoed in a message, cut so an absurd input cannot make an absurd message. */
  private static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message);
  }
}
