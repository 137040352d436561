package dev.meshgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code meshgate --version}: the Maven project version, filtered into a resource at build. */
final class VersionProvider implements IVersionProvider {

  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // A build without the resource still runs; it just cannot say which version it is.
    }
    String v = p.getProperty("version", "");
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "meshgate " + version(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
