package dev.meshgate.compiler;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

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
    List<Source> sources = new ArrayList<>();
    for (Path file : files(paths).keySet()) {
      sources.add(read(file));
    }
    return sources;
  }

  /** One policy file, named by its path. */
  static Source read(Path file) throws IOException {
    // Not UTF-8 is not a read error: the parser reports where, like any other mistake.
    return Source.decode(file.toString(), Files.readAllBytes(file));
  }

  /**
   * Every {@code *.mesh} file under {@code paths} with its attributes (symbolic links followed), in
   * path order. A file that vanishes between the walk and its attributes is left out, as one that
   * vanished before the walk.
   *
   * @throws IOException when a path does not exist or a directory cannot be walked
   */
  static SortedMap<Path, BasicFileAttributes> files(List<Path> paths) throws IOException {
    SortedMap<Path, BasicFileAttributes> files = new TreeMap<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        // walkFileTree hands each file's attributes to the visitor: one stat per file, where
        // Files.walk and then asking for them was two (a tenth of a reload at 1,000 files).
        Files.walkFileTree(
            path,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return dir.equals(path) || !hidden(dir.getFileName())
                    ? FileVisitResult.CONTINUE
                    : FileVisitResult.SKIP_SUBTREE;
              }

              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String name = file.getFileName().toString();
                if (name.endsWith(EXTENSION) && !hidden(file.getFileName())) {
                  Optional<BasicFileAttributes> regular =
                      attributes.isSymbolicLink() ? regular(file) : Optional.of(attributes);
                  regular
                      .filter(BasicFileAttributes::isRegularFile)
                      .ifPresent(a -> files.put(file.normalize(), a));
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                  return FileVisitResult.CONTINUE; // gone since its directory was listed
                }
                throw e;
              }
            });
      } else if (Files.isRegularFile(path)) {
        files.put(path.normalize(), Files.readAttributes(path, BasicFileAttributes.class));
      } else {
        throw new NoSuchFileException(path.toString(), null, "no such policy file or directory");
      }
    }
    return files;
  }

  /** A symbolic link's target's attributes; none when it dangles, as Files.isRegularFile says. */
  private static Optional<BasicFileAttributes> regular(Path link) {
    try {
      return Optional.of(Files.readAttributes(link, BasicFileAttributes.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
