package dev.meshgate.discovery.kubernetes;

import java.util.regex.Pattern;

/**
 * The {@code port NAME|NUMBER} of a Kubernetes query. A Service port name is an IANA service name,
 * which always contains a letter, so an all-digit value can only mean a port number.
 */
sealed interface PortSelector {

  Pattern DIGITS = Pattern.compile("[0-9]+");

  /**
   * A Service port by name: EndpointSlice ports carry the same name, so no Service lookup is
   * needed.
   */
  record Named(String name) implements PortSelector {
    @Override
    public String toString() {
      return "port \"" + name + "\"";
    }
  }

  /** A Service port by number: the Service object maps it to the port name the slices use. */
  record Numbered(int number) implements PortSelector {
    @Override
    public String toString() {
      return "port " + number;
    }
  }

  static PortSelector parse(String port) {
    String p = port.strip();
    if (p.isEmpty()) {
      throw new IllegalArgumentException(
          "Kubernetes service port is blank: give a port name or number");
    }
    if (DIGITS.matcher(p).matches()) {
      int number = p.length() > 5 ? -1 : Integer.parseInt(p);
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException("Kubernetes service port out of range 1..65535: " + p);
      }
      return new Numbered(number);
    }
    return new Named(p);
  }
}
