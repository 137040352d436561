package dev.meshgate.bootstrap;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds an Envoy binary the way every Meshgate tool does (see TESTING.md): {@code ENVOY_BIN}, then
 * {@code envoy} on {@code PATH}, then {@code <root>/.tools/bin/envoy}, where
 * scripts/install-envoy.sh puts it.
 */
public final class EnvoyBinary {

  /** What to tell someone who has no Envoy. */
  public static final String HOW_TO_INSTALL =
      "install one with scripts/install-envoy.sh (it puts Envoy at .tools/bin/envoy), "
          + "or set ENVOY_BIN to an Envoy binary, or put `envoy` on PATH";

  private EnvoyBinary() {}

  /** The first Envoy found for this process's environment, searching {@code projectRoot} last. */
  public static Optional<Path> find(Optional<Path> projectRoot) {
    return find(System.getenv(), projectRoot);
  }

  static Optional<Path> find(Map<String, String> env, Optional<Path> projectRoot) {
    String explicit = env.get("ENVOY_BIN");
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      // An ENVOY_BIN that points nowhere is a mistake worth surfacing, not skipping over.
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String pathVar = env.getOrDefault("PATH", "");
    for (String dir : pathVar.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "envoy");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return projectRoot
        .map(root -> root.resolve(".tools").resolve("bin").resolve("envoy"))
        .filter(Files::isExecutable);
  }
}
