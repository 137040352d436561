package dev.meshgate.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Long durations on the command line: an integer and a unit, {@code 90s}, {@code 30m}, {@code 24h},
 * {@code 7d}.
 */
final class Durations implements ITypeConverter<Duration> {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(s|m|h|d)");

  @Override
  public Duration convert(String value) {
    Matcher m = FORMAT.matcher(value.strip());
    if (!m.matches()) {
      throw new TypeConversionException(
          "expected a duration like 90s, 30m, 24h or 7d, got '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
