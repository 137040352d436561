package dev.meshgate.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the Envoy binary: {@code ENVOY_BIN}, then {@code envoy} on {@code PATH}, then the
 * project's {@code .tools/bin/envoy}. Without one the calling test is skipped, except under
 * {@code CI=true}: CI must never go green on skipped integration tests.
 */
final class EnvoyBinary {
  static final String MISSING = "no Envoy found: run scripts/install-envoy.sh or set ENVOY_BIN";

  private EnvoyBinary() {}

  /** The binary, or an aborted (locally) / failed (in CI) test. */
  static Path require() {
    Optional<Path> found = find();
    if (found.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(MISSING + " (CI=true: integration tests may not be skipped)");
      }
      assumeTrue(false, MISSING);
    }
    return found.orElseThrow();
  }

  static Optional<Path> find() {
    String env = System.getenv("ENVOY_BIN");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      // An explicit setting that points nowhere is a mistake worth hearing about.
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException("ENVOY_BIN=" + env + " is not an executable file");
      }
      return Optional.of(p);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, "envoy");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    Path tools = ProjectRoot.get().resolve(".tools/bin/envoy");
    return Files.isExecutable(tools) ? Optional.of(tools) : Optional.empty();
  }
}
