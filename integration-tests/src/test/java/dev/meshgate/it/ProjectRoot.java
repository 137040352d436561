package dev.meshgate.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Maven reactor's root: where {@code mvnw}, {@code examples/} and {@code .tools/} live. */
final class ProjectRoot {
  private ProjectRoot() {}

  static Path get() {
    // Set by the parent pom's surefire config; the fallback covers running from an IDE.
    String configured = System.getProperty("meshgate.project.root", "");
    if (!configured.isBlank() && Files.isDirectory(Path.of(configured))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the project root: set -Dmeshgate.project.root or run from inside the project");
  }
}
