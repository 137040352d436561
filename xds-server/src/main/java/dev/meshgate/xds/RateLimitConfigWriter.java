package dev.meshgate.xds;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.RateLimitServiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * global rate limits (issue 13): keeps {@code --ratelimit-config DIR} equal to the served policy's
 * rate-limit service configuration ({@link RateLimitServiceConfig}), for Envoy's ratelimit service
 * to read (it watches the directory with {@code RUNTIME_WATCH_ROOT=false} and reloads on change).
 *
 * <p>Each file is written to a temporary file in DIR's parent and renamed into DIR, so the service
 * never reads half a file nor loads a temporary one; unchanged files are not touched (no needless
 * reload). Files Meshgate wrote for gateways that no longer have global limits are removed; other
 * files in DIR are left alone. A write that fails is logged, never thrown: Envoy serves the new
 * policy while the service counts by the files it has.
 */
final class RateLimitConfigWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimitConfigWriter.class);

  /** The first line of every file {@link RateLimitServiceConfig} renders. */
  private static final String MARK = "# Envoy rate-limit service configuration for gateway";

  private final Path dir;

  RateLimitConfigWriter(Path dir) {
    this.dir = dir.toAbsolutePath();
  }

  /** Makes DIR hold exactly the policy's files (besides files Meshgate did not write). */
  void write(CompiledPolicy policy) {
    SortedMap<String, String> files = RateLimitServiceConfig.files(policy.ir());
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path target = dir.resolve(file.getKey());
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(target)
            && java.util.Arrays.equals(Files.readAllBytes(target), content)) {
          continue;
        }
        Path staging = dir.getParent() == null ? dir : dir.getParent();
        Path tmp = Files.createTempFile(staging, ".meshgate-ratelimit-", ".tmp");
        try {
          Files.write(tmp, content);
          try {
            Files.move(
                tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
          }
        } finally {
          Files.deleteIfExists(tmp);
        }
        LOG.info("rate-limit service configuration written: {}", target);
      }
      try (DirectoryStream<Path> existing = Files.newDirectoryStream(dir, "*.yaml")) {
        for (Path file : existing) {
          if (!files.containsKey(file.getFileName().toString()) && ours(file)) {
            Files.deleteIfExists(file);
            LOG.info("rate-limit service configuration removed: {}", file);
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // Envoy already has the new policy; the service keeps counting by its last good files.
      LOG.error("cannot write the rate-limit service configuration to {}", dir, e);
    }
  }

  private static boolean ours(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.findFirst().map(l -> l.startsWith(MARK)).orElse(false);
    } catch (java.io.UncheckedIOException e) {
      return false; // not UTF-8: not ours
    }
  }
}
