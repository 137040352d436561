package dev.meshgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs the packaging tests run ({@code helm}, {@code systemd-analyze}): found as the
 * Consul and Envoy harnesses find theirs ({@code NAME_BIN}, then {@code PATH}, then {@code
 * <project>/.tools/bin}); a missing one skips the test locally with how to get it, and fails it
 * under {@code CI=true}, where no integration test may be skipped.
 */
final class Tools {
  private Tools() {}

  /** What a finished command printed, and its exit code. */
  record Result(int exit, String out, String err) {
    Result requireOk(List<String> command) {
      if (exit != 0) {
        throw new AssertionError(
            command + " exited " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return this;
    }
  }

  /** The tool, or an aborted (locally) / failed (CI=true) test saying {@code how} to get it. */
  static Path required(String name, String how) {
    Optional<Path> found = find(name);
    if (found.isEmpty()) {
      String missing = "no " + name + " binary: " + how;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(missing + " (CI=true: integration tests must not be skipped)");
      }
      Assumptions.abort(missing);
    }
    return found.orElseThrow();
  }

  static Optional<Path> find(String name) {
    String env = System.getenv(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_BIN");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(Files::isExecutable);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    Path tools = ProjectRoot.get().resolve(".tools/bin").resolve(name);
    if (Files.isExecutable(tools)) {
      return Optional.of(tools);
    }
    return Optional.empty();
  }

  /** Runs {@code command} in {@code dir} to completion (at most two minutes). */
  static Result run(Path dir, List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within two minutes");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  private static CompletableFuture<String> drain(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
