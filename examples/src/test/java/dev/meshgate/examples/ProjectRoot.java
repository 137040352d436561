package dev.meshgate.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Maven reactor root: surefire says where it is; otherwise walk up from the working dir. */
final class ProjectRoot {
  private ProjectRoot() {}

  static Path find() {
    String property = System.getProperty("meshgate.project.root");
    if (property != null && !property.isBlank() && isRoot(Path.of(property))) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      if (isRoot(dir)) {
        return dir.normalize();
      }
    }
    throw new IllegalStateException(
        "cannot find the Meshgate project root (a directory with examples/pom.xml) from "
            + System.getProperty("user.dir"));
  }

  private static boolean isRoot(Path dir) {
    return Files.isRegularFile(dir.resolve("pom.xml"))
        && Files.isRegularFile(dir.resolve("examples/pom.xml"));
  }
}
