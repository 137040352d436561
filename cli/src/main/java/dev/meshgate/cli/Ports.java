package dev.meshgate.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Port numbers on the command line: 1..65535, or 0 (any free port) where {@link AnyPort} says so.
 */
final class Ports {
  private Ports() {}

  static int parse(String text, String whole) {
    return parse(text, whole, 1, "1..65535");
  }

  private static int parse(String text, String whole, int min, String range) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + whole + "' is not a port number (" + range + ")");
    }
    if (port < min || port > 65535) {
      throw new TypeConversionException("port " + port + " is out of range " + range);
    }
    return port;
  }

  /** A port that must be 1..65535. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parse(value, value);
    }
  }

  /** A port to listen on: 1..65535, or 0 for any free port. */
  static final class AnyPort implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parse(value, value, 0, "0..65535, 0 = any free port");
    }
  }
}
