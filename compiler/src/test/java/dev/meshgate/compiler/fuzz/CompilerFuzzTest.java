package dev.meshgate.compiler.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.DiagnosticLimit;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.format.FormatResult;
import dev.meshgate.compiler.format.PolicyFormatter;
import dev.meshgate.compiler.parse.ParsedFile;
import dev.meshgate.compiler.parse.PolicyParser;
import dev.meshgate.compiler.simulate.PolicySimulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Fuzz targets for the parser, the checker, the formatter and the whole compile. Under plain {@code
 * mvn test} each replays its committed inputs ({@code
 * src/test/resources/dev/meshgate/compiler/fuzz/CompilerFuzzTestInputs/<method>/}, every file one
 * policy as raw bytes); with {@code JAZZER_FUZZ=1} one of them fuzzes (see docs/fuzzing.md).
 *
 * <p>Whatever the bytes, the compiler answers with diagnostics: it never throws, never shows more
 * than {@link DiagnosticLimit#PER_FILE} (+1) per file, never echoes an unbounded line, and what it
 * accepts, it accepts the same way twice. Inputs that once crashed or stalled it are in the corpus.
 */
class CompilerFuzzTest {

  /** A line of its own that splits one input into several files, for the whole-compile target. */
  static final String FILE_SEPARATOR = "\n#---\n";

  @FuzzTest
  void parse(byte[] data) {
    Source source = Source.decode("fuzz.mesh", data);
    ParsedFile parsed = PolicyParser.parse(source);

    assertBounded(parsed.diagnostics());
    assertThat(parsed.diagnostics())
        .allSatisfy(d -> assertThat(d.code()).as(d.render()).matches("MG10[1-7]"));
    if (parsed.diagnostics().isEmpty()) {
      assertThat(parsed.file().complete()).as("no syntax error, yet an incomplete tree").isTrue();
    }
  }

  @FuzzTest
  void check(byte[] data) {
    Compilation compilation = Compiler.compile(List.of(Source.decode("fuzz.mesh", data)));

    assertBounded(compilation.diagnostics());
    assertThat(compilation.policy().isPresent())
        .as("a policy exactly when there is no error")
        .isEqualTo(!compilation.hasErrors());
  }

  /**
   * The formatter's round trip: what it prints parses without errors, prints again unchanged, keeps
   * every comment, and compiles to the same findings and the same Envoy resources.
   */
  @FuzzTest
  void format(byte[] data) {
    Source original = Source.decode("fuzz.mesh", data);
    FormatResult result = PolicyFormatter.format(original);
    if (result.formatted().isEmpty()) {
      assertThat(result.diagnostics()).as("a refusal says why").isNotEmpty();
      return;
    }
    String once = result.formatted().get();
    Source printed = new Source(original.name(), once);
    ParsedFile reparsed = PolicyParser.parse(printed);

    assertThat(reparsed.diagnostics()).as("errors in the printed file:\n%s", once).isEmpty();
    assertThat(PolicyFormatter.format(printed).formatted()).as("idempotent").contains(once);
    assertThat(comments(reparsed)).isEqualTo(comments(PolicyParser.parse(original)));
    Compilation before = Compiler.compile(List.of(original));
    Compilation after = Compiler.compile(List.of(printed));
    assertThat(codes(after)).as("findings of the printed file:\n%s", once).isEqualTo(codes(before));
    assertThat(after.policy().map(p -> p.groups())).isEqualTo(before.policy().map(p -> p.groups()));
  }

  /**
   * Several files (split at {@value #FILE_SEPARATOR}), compiled twice to the same result; what
   * compiles is rendered as Envoy JSON and its policy tests are run.
   */
  @FuzzTest
  void compile(byte[] data) {
    List<Source> sources = split(data);
    Compilation compilation = Compiler.compile(sources);
    Compilation again = Compiler.compile(sources);

    assertBounded(compilation.diagnostics());
    assertThat(again.diagnostics()).isEqualTo(compilation.diagnostics());
    assertThat(again.policy().map(p -> p.groups()))
        .isEqualTo(compilation.policy().map(p -> p.groups()));
    compilation
        .policy()
        .ifPresent(
            policy -> {
              for (ProxyResources group : policy.groups()) {
                assertThat(EnvoyOutput.json(group)).isNotBlank();
              }
              assertThat(PolicySimulator.run(policy)).hasSameSizeAs(policy.tests());
            });
  }

  private static void assertBounded(List<Diagnostic> diagnostics) {
    Map<String, Long> perFile =
        diagnostics.stream()
            .collect(
                Collectors.groupingBy(d -> d.span().file(), TreeMap::new, Collectors.counting()));
    assertThat(perFile.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(101L));
    for (Diagnostic d : diagnostics) {
      String[] lines = d.render().split("\n", -1);
      assertThat(lines).as(d.render()).hasSize(3);
      // " N | " gutter, then at most the window and an ellipsis on each side.
      int gutter = Integer.toString(d.span().line()).length() + 4;
      assertThat(lines[1].length() - gutter)
          .as(d.render())
          .isLessThanOrEqualTo(Diagnostic.MAX_ECHOED_LINE);
      assertThat(lines[2].length() - gutter)
          .as("the caret stays on the echoed line:\n%s", d.render())
          .isLessThanOrEqualTo(Math.max(lines[1].length() - gutter, d.span().column()) + 1);
    }
  }

  private static List<String> comments(ParsedFile parsed) {
    // The formatter trims trailing blanks off comments, on purpose (found by fuzzing `format`).
    return parsed.file().comments().stream().map(c -> c.text().stripTrailing()).toList();
  }

  private static List<String> codes(Compilation compilation) {
    return compilation.diagnostics().stream().map(Diagnostic::code).sorted().toList();
  }

  static List<Source> split(byte[] data) {
    byte[] separator = FILE_SEPARATOR.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Source> sources = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + separator.length <= data.length; i++) {
      if (Arrays.equals(data, i, i + separator.length, separator, 0, separator.length)) {
        sources.add(
            Source.decode("f" + sources.size() + ".mesh", Arrays.copyOfRange(data, start, i)));
        start = i + separator.length;
        i = start - 1;
      }
    }
    sources.add(
        Source.decode(
            "f" + sources.size() + ".mesh", Arrays.copyOfRange(data, start, data.length)));
    return sources;
  }
}
