package dev.meshgate.compiler;

import static org.junit.jupiter.api.Assertions.fail;

import dev.meshgate.compiler.ir.IrYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests at the IR and Envoy boundaries. Each case under {@code
 * src/test/resources/golden/<feature>/} is a {@code <case>.mesh} file or a {@code <case>/}
 * directory of {@code .mesh} files (merged into one policy). A case that compiles has {@code
 * <case>.ir.yaml} and {@code <case>.envoy.yaml} (and {@code <case>.warnings.txt} when it has
 * warnings, {@code <case>.ratelimit.yaml} when it has global rate limits); one that does not has
 * {@code <case>.errors.txt} with every diagnostic. Run with {@code -Dgolden.update=true} to rewrite
 * every expected file and delete stale ones.
 */
class GoldenTest {
  static final Path ROOT = locateRoot();
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final List<String> KINDS =
      List.of(".errors.txt", ".warnings.txt", ".ir.yaml", ".envoy.yaml", ".ratelimit.yaml");

  /** A case: its name (path under golden/ without extension) and its policy files. */
  record Case(String name, Path base, List<Path> files) {}

  @TestFactory
  Stream<DynamicTest> golden() throws IOException {
    List<Case> cases = cases();
    if (UPDATE) {
      deleteStale(cases);
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  /** Every golden case, sorted by name. Source names are relative to golden/ for stable output. */
  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> features = Files.list(ROOT)) {
      for (Path feature : features.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> entries = Files.list(feature)) {
          for (Path entry : entries.sorted().toList()) {
            String file = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
              try (Stream<Path> walk = Files.walk(entry)) {
                List<Path> files =
                    walk.filter(p -> p.toString().endsWith(".mesh")).sorted().toList();
                if (!files.isEmpty()) {
                  cases.add(new Case(ROOT.relativize(entry).toString(), entry, files));
                }
              }
            } else if (file.endsWith(".mesh")) {
              Path base = feature.resolve(file.substring(0, file.length() - ".mesh".length()));
              cases.add(new Case(ROOT.relativize(base).toString(), base, List.of(entry)));
            }
          }
        }
      }
    }
    return cases;
  }

  static List<Source> sources(Case c) {
    return c.files().stream()
        .map(
            p -> {
              try {
                return new Source(
                    ROOT.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }

  /** What the compiler produces for a case, by file suffix. */
  static Map<String, String> outputs(Case c) {
    Compilation compilation = Compiler.compile(sources(c));
    Map<String, String> out = new TreeMap<>();
    if (compilation.policy().isEmpty()) {
      out.put(".errors.txt", render(compilation.diagnostics()));
      return out;
    }
    CompiledPolicy policy = compilation.policy().get();
    if (!compilation.diagnostics().isEmpty()) {
      out.put(".warnings.txt", render(compilation.diagnostics()));
    }
    out.put(".ir.yaml", IrYaml.render(policy.ir()));
    StringBuilder envoy = new StringBuilder();
    for (ProxyResources group : policy.groups()) {
      envoy.append(EnvoyOutput.yaml(group));
    }
    out.put(".envoy.yaml", envoy.toString());
    // global rate limits (issue 13): the rate-limit service's files, when the policy has any
    StringBuilder ratelimit = new StringBuilder();
    RateLimitServiceConfig.files(policy.ir())
        .forEach((name, text) -> ratelimit.append("# ").append(name).append("\n").append(text));
    if (!ratelimit.isEmpty()) {
      out.put(".ratelimit.yaml", ratelimit.toString());
    }
    return out;
  }

  static String render(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(Diagnostic::render).collect(Collectors.joining("\n\n")) + "\n";
  }

  private static void run(Case c) throws IOException {
    Map<String, String> actual = outputs(c);
    List<String> problems = new ArrayList<>();
    for (String kind : KINDS) {
      Path file = Path.of(c.base() + kind);
      String want = actual.get(kind);
      if (UPDATE) {
        if (want == null) {
          Files.deleteIfExists(file);
        } else {
          Files.writeString(file, want, StandardCharsets.UTF_8);
        }
        continue;
      }
      if (want == null) {
        if (Files.exists(file)) {
          problems.add(ROOT.relativize(file) + " exists but the case no longer produces it");
        }
      } else if (!Files.exists(file)) {
        problems.add(ROOT.relativize(file) + " is missing; it should be:\n" + want);
      } else {
        String have = Files.readString(file, StandardCharsets.UTF_8);
        if (!have.equals(want)) {
          problems.add(ROOT.relativize(file) + " differs:\n" + diff(have, want));
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(
          String.join("\n\n", problems)
              + "\n\n(run with -Dgolden.update=true to accept the new output)");
    }
  }

  /**
   * Removes expected files whose case is gone (files of kinds a case still produces are rewritten).
   */
  private static void deleteStale(List<Case> cases) throws IOException {
    Set<String> bases = new TreeSet<>();
    cases.forEach(c -> bases.add(c.base().toString()));
    try (Stream<Path> walk = Files.walk(ROOT)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String s = p.toString();
        for (String kind : KINDS) {
          if (s.endsWith(kind) && !bases.contains(s.substring(0, s.length() - kind.length()))) {
            Files.delete(p);
          }
        }
      }
    }
  }

  /** A small line diff: the first differing lines with context, enough to see what changed. */
  static String diff(String expected, String actual) {
    List<String> e = expected.lines().toList();
    List<String> a = actual.lines().toList();
    int first = 0;
    while (first < e.size() && first < a.size() && e.get(first).equals(a.get(first))) {
      first++;
    }
    int endE = e.size();
    int endA = a.size();
    while (endE > first && endA > first && e.get(endE - 1).equals(a.get(endA - 1))) {
      endE--;
      endA--;
    }
    StringBuilder sb = new StringBuilder("@@ line " + (first + 1) + " @@\n");
    for (int i = Math.max(0, first - 3); i < first; i++) {
      sb.append("  ").append(e.get(i)).append('\n');
    }
    for (int i = first; i < Math.min(endE, first + 40); i++) {
      sb.append("- ").append(e.get(i)).append('\n');
    }
    for (int i = first; i < Math.min(endA, first + 40); i++) {
      sb.append("+ ").append(a.get(i)).append('\n');
    }
    if (!expected.endsWith("\n") || !actual.endsWith("\n")) {
      sb.append("(final newline: expected ")
          .append(expected.endsWith("\n"))
          .append(", actual ")
          .append(actual.endsWith("\n"))
          .append(")\n");
    }
    return sb.toString();
  }

  /** src/test/resources/golden in the source tree (not target/), so updates land in git. */
  private static Path locateRoot() {
    String root = System.getProperty("meshgate.project.root");
    List<Path> candidates = new ArrayList<>();
    if (root != null) {
      candidates.add(Path.of(root, "compiler/src/test/resources/golden"));
    }
    candidates.add(Path.of("src/test/resources/golden"));
    candidates.add(Path.of("compiler/src/test/resources/golden"));
    return candidates.stream()
        .filter(Files::isDirectory)
        .findFirst()
        .map(Path::toAbsolutePath)
        .orElseThrow(
            () -> new IllegalStateException("golden directory not found among " + candidates));
  }
}
