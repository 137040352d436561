package dev.meshgate.examples;

import static org.assertj.core.api.Assertions.fail;

import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Envoy for checks that only Envoy can make. Found through {@code ENVOY_BIN}, then {@code
 * envoy} on the PATH, then the project's {@code .tools/bin/envoy} (installed by {@code
 * scripts/install-envoy.sh}). Without one, tests skip, except on CI ({@code CI=true}), where a
 * missing Envoy must fail the build rather than quietly test less.
 */
final class Envoy {
  private final Path binary;

  private Envoy(Path binary) {
    this.binary = binary;
  }

  /** The Envoy to use, or the test is skipped (failed under CI=true) with what to do about it. */
  static Envoy require() {
    return new Envoy(RequiredEnvoy.path());
  }

  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Writes {@code bootstrap} to {@code examples/target/envoy-validate/<name>.json} (kept, so a
   * failure can be reproduced by hand) and fails unless Envoy validates it.
   */
  void assertAccepts(String name, String bootstrap) throws IOException, InterruptedException {
    Path dir = ProjectRoot.find().resolve("examples/target/envoy-validate");
    Files.createDirectories(dir);
    Path config = dir.resolve(name + ".json");
    Files.writeString(config, bootstrap, StandardCharsets.UTF_8);
    Result result = validate(config);
    if (!result.ok()) {
      fail("Envoy rejected " + config + " (exit " + result.exitCode() + "):\n" + result.output());
    }
  }

  /** {@code envoy --mode validate -c config}: Envoy loads the config fully and exits. */
  Result validate(Path config) throws IOException, InterruptedException {
    Path log = Files.createTempFile("envoy-validate", ".log");
    try {
      Process process =
          new ProcessBuilder(
                  binary.toString(),
                  "--mode",
                  "validate",
                  "-c",
                  config.toString(),
                  "--log-level",
                  "warn")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "envoy --mode validate timed out after 120s");
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
