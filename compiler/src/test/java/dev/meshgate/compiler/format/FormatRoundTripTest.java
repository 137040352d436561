package dev.meshgate.compiler.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.parse.ParsedFile;
import dev.meshgate.compiler.parse.PolicyParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * For every golden case and every example that parses: printing keeps the tree (spans and quoting
 * aside) and every comment, and printing again changes nothing.
 */
class FormatRoundTripTest {

  static List<Path> policyFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.addAll(meshFilesUnder(Path.of("src/test/resources/golden")));
    files.addAll(meshFilesUnder(projectRoot().resolve("examples")));
    return files;
  }

  private static List<Path> meshFilesUnder(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".mesh"))
          .filter(p -> !p.toString().contains("/target/"))
          .sorted()
          .toList();
    }
  }

  /** The reactor root (surefire runs in the module directory). */
  static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("examples/pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
  }

  @Test
  void thereAreGoldenCasesAndExamples() throws IOException {
    assertThat(policyFiles())
        .anyMatch(p -> p.toString().contains("golden"))
        .anyMatch(p -> p.toString().endsWith("all-features.mesh"))
        .hasSizeGreaterThan(20);
  }

  @TestFactory
  Stream<DynamicTest> everyFileThatParsesRoundTrips() throws IOException {
    return policyFiles().stream()
        .map(path -> DynamicTest.dynamicTest(path.toString(), () -> roundTrip(path)));
  }

  private static void roundTrip(Path path) throws IOException {
    Source original = new Source(path.getFileName().toString(), Files.readString(path));
    ParsedFile parsed = PolicyParser.parse(original);
    FormatResult result = PolicyFormatter.format(original);
    if (!parsed.file().complete()) {
      assertThat(result.formatted()).as("a file with syntax errors is never rewritten").isEmpty();
      assertThat(result.diagnostics()).isNotEmpty();
      return;
    }
    String once = result.formatted().orElseThrow();
    Source printed = new Source(original.name(), once);
    ParsedFile reparsed = PolicyParser.parse(printed);
    assertThat(reparsed.diagnostics())
        .as("syntax diagnostics of the printed file:\n%s", once)
        .isEmpty();
    assertThat(SpanFreeAst.render(reparsed.file()))
        .as("tree of the printed file:\n%s", once)
        .isEqualTo(SpanFreeAst.render(parsed.file()));
    assertThat(PolicyFormatter.format(printed).formatted())
        .as("printing is idempotent")
        .contains(once);
  }
}
