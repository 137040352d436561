package dev.meshgate.cli;

import dev.meshgate.compiler.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every duration option of the command line ({@code --cert-ttl 7d}, {@code --eds-coalesce 100ms},
 * {@code --catalog-timeout 5s}): the same syntax as durations in a policy, see {@link Durations}.
 */
final class DurationOption implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
