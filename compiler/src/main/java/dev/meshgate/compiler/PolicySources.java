package dev.meshgate.compiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Loads policy files: each path is a {@code .mesh} file or a directory searched for them. */
public final class PolicySources {
  public static final String EXTENSION = ".mesh";

  private PolicySources() {}

  /**
   * Dot-files and anything under a dot-directory are skipped: editors keep swap copies there, and a
   * mounted Kubernetes ConfigMap holds the real files in {@code ..2026_…/} beside the symlinks,
   * which would otherwise load every declaration twice.
   */
  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every {@code *.mesh} file under {@code paths}, in path order so that the merged policy and its
   * diagnostics do not depend on directory listing order.
   *
   * @throws IOException when a path does not exist or cannot be read
   */
  public static List<Source> load(List<Path> paths) throws IOException {
    TreeSet<Path> files = new TreeSet<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(p -> p.toString().endsWith(EXTENSION) && Files.isRegularFile(p))
              .filter(p -> !hidden(path.relativize(p)))
              .forEach(p -> files.add(p.normalize()));
        }
      } else if (Files.isRegularFile(path)) {
        files.add(path.normalize());
      } else {
        throw new java.nio.file.NoSuchFileException(
            path.toString(), null, "no such policy file or directory");
      }
    }
    List<Source> sources = new ArrayList<>();
    for (Path file : files) {
      // Not UTF-8 is not a read error: the parser reports where, like any other mistake.
      sources.add(Source.decode(file.toString(), Files.readAllBytes(file)));
    }
    return sources;
  }
}
