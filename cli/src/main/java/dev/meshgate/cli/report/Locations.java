package dev.meshgate.cli.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Source file names as report URIs: relative to the working directory where possible. */
final class Locations {
  private Locations() {}

  /**
   * A relative URI reference with '/' separators ({@code examples/quickstart/quickstart.mesh}) when
   * the file is under the working directory, which in CI is the repository root that code scanning
   * resolves it against; otherwise an absolute {@code file:} URI.
   */
  static String uri(String file) {
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      return encode(file.replace('\\', '/'));
    }
    Path cwd = Path.of("").toAbsolutePath().normalize();
    Path absolute = path.toAbsolutePath().normalize();
    if (absolute.startsWith(cwd)) {
      return encode(cwd.relativize(absolute).toString().replace('\\', '/'));
    }
    return absolute.toUri().toString();
  }

  /** Whether {@link #uri} gave a relative reference (to be resolved against %SRCROOT%). */
  static boolean isRelative(String uri) {
    return !uri.startsWith("file:");
  }

  private static String encode(String relative) {
    try {
      return new URI(null, null, relative, null).toASCIIString();
    } catch (URISyntaxException e) {
      return relative;
    }
  }
}
