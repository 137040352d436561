package dev.meshgate.cli;

import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The policy as it was at a git revision: every {@code *.mesh} under the given paths at that
 * revision, read with {@code git ls-tree} and {@code git show REV:FILE} in the repository that
 * holds each path. Files are named as {@link PolicySources} would name them in the working tree, so
 * both sides of a plan print the same file names. Like PolicySources, dot-files and dot-directories
 * are skipped; so are symlinks and submodules.
 */
final class GitBase {
  private GitBase() {}

  /** Whether {@code path} (existing or not, absolute or relative) lies in a git work tree. */
  static Optional<Path> repository(Path path) {
    Path probe = existingAncestor(path.toAbsolutePath().normalize());
    try {
      Result r = git(probe, "rev-parse", "--show-toplevel");
      return r.ok() ? Optional.of(Path.of(r.text().strip())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code revision} names a commit in {@code repository}. */
  static boolean isRevision(Path repository, String revision) {
    try {
      return !revision.startsWith("-")
          && git(repository, "rev-parse", "--verify", "--quiet", revision + "^{commit}").ok();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The sources at {@code revision} for each of {@code paths}; a path absent at that revision
   * contributes nothing (a policy directory the change adds).
   *
   * @throws UserError (failure) when git cannot be run or refuses
   */
  static List<Source> load(String revision, List<Path> paths) {
    Map<String, Source> sources = new LinkedHashMap<>();
    for (Path path : paths) {
      Path root =
          repository(path)
              .orElseThrow(() ->
                  UserError.failure(
                      "--base " + revision + ": " + path + " is not in a git repository"));
      String relative = relativeTo(root, path);
      List<String> files = meshFiles(root, revision, relative);
      for (String file : files) {
        String name = displayName(path, relative, file);
        sources.putIfAbsent(name, new Source(name, show(root, revision, file)));
      }
    }
    return sources.values().stream().sorted(java.util.Comparator.comparing(Source::name)).toList();
  }

  /** {@code path} relative to the repository root, '/'-separated, "" for the root itself. */
  private static String relativeTo(Path root, Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = existingAncestor(absolute);
    Path real;
    Path realRoot;
    try {
      // Real paths on both sides: /tmp may be a symlink, and git prints the resolved root.
      real = existing.toRealPath().resolve(existing.relativize(absolute));
      realRoot = root.toRealPath();
    } catch (IOException e) {
      throw UserError.failure("cannot resolve " + path + ": " + e.getMessage());
    }
    return realRoot.relativize(real).toString().replace('\\', '/');
  }

  private static List<String> meshFiles(Path root, String revision, String relative) {
    List<String> args = new ArrayList<>(List.of("ls-tree", "-r", "-z", "--full-tree", revision));
    if (!relative.isEmpty()) {
      args.add("--");
      args.add(relative);
    }
    Result r = run(root, args);
    List<String> files = new ArrayList<>();
    for (String entry : r.text().split("\0")) {
      int tab = entry.indexOf('\t');
      if (tab < 0) {
        continue;
      }
      String[] meta = entry.substring(0, tab).split(" ");
      String file = entry.substring(tab + 1);
      boolean regularBlob = meta.length == 3 && meta[1].equals("blob") && !meta[0].equals("120000");
      boolean under =
          relative.isEmpty() || file.equals(relative) || file.startsWith(relative + "/");
      if (regularBlob
          && under
          && file.endsWith(PolicySources.EXTENSION)
          && !hidden(relative, file)) {
        files.add(file);
      }
    }
    return files;
  }

  private static boolean hidden(String relative, String file) {
    String below =
        file.equals(relative)
            ? file.substring(file.lastIndexOf('/') + 1)
            : file.substring(relative.isEmpty() ? 0 : relative.length() + 1);
    for (String part : below.split("/")) {
      if (part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code examples/quickstart} + {@code quickstart.mesh} → {@code
   * examples/quickstart/quickstart.mesh}.
   */
  private static String displayName(Path path, String relative, String file) {
    if (file.equals(relative)) {
      return path.normalize().toString();
    }
    String below = relative.isEmpty() ? file : file.substring(relative.length() + 1);
    return path.resolve(below).normalize().toString();
  }

  private static String show(Path root, String revision, String file) {
    return run(root, List.of("show", revision + ":" + file)).text();
  }

  private static Path existingAncestor(Path absolute) {
    Path probe = absolute;
    while (probe != null && !Files.isDirectory(probe)) {
      probe = probe.getParent();
    }
    return probe == null ? Path.of("").toAbsolutePath() : probe;
  }

  private record Result(int exitCode, String text, String error) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private static Result run(Path dir, List<String> args) {
    try {
      Result r = git(dir, args.toArray(String[]::new));
      if (!r.ok()) {
        throw UserError.failure(
            "git " + String.join(" ", args) + " failed in " + dir + ": " + r.error().strip());
      }
      return r;
    } catch (IOException e) {
      throw UserError.failure(
          "cannot run git (needed for --base with a git revision): " + e.getMessage());
    }
  }

  private static Result git(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> error =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String text = read(process.getInputStream());
    try {
      return new Result(process.waitFor(), text, error.join());
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running git", e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
