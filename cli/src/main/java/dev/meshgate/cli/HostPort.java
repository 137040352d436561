package dev.meshgate.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code HOST:PORT} on the command line; IPv6 literals are written {@code [::1]:18000}. */
record HostPort(String host, int port) {

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  static final class Converter implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new TypeConversionException(
            "expected HOST:PORT (for example 127.0.0.1:18000), got '" + value + "'");
      }
      String host = value.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.contains(":")) {
        throw new TypeConversionException(
            "write an IPv6 address in brackets, like [::1]:18000, got '" + value + "'");
      }
      if (host.isEmpty()) {
        throw new TypeConversionException(
            "expected HOST:PORT, the host is empty in '" + value + "'");
      }
      return new HostPort(host, Ports.parse(value.substring(colon + 1), value));
    }
  }
}
