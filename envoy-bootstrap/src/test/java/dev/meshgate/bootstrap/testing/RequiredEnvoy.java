package dev.meshgate.bootstrap.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.meshgate.bootstrap.EnvoyBinary;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The one way tests get a real Envoy: found as every Meshgate tool finds it ({@link EnvoyBinary});
 * without one the calling test is skipped with how to get one, except under {@code CI=true}, where
 * it fails: CI must never go green on tests that did not run.
 */
public final class RequiredEnvoy {
  private RequiredEnvoy() {}

  /** The Envoy binary, or an aborted (locally) / failed (CI=true) test. */
  public static Path path() {
    Optional<Path> root =
        Optional.ofNullable(System.getProperty("meshgate.project.root")).map(Path::of);
    Optional<Path> found = EnvoyBinary.find(root);
    if (found.isEmpty()) {
      String missing = "no Envoy binary found: " + EnvoyBinary.HOW_TO_INSTALL;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(missing + " (CI=true: tests that need Envoy may not be skipped)");
      }
      Assumptions.abort(missing);
    }
    return found.orElseThrow();
  }
}
