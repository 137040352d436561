package dev.meshgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.format.FormatResult;
import dev.meshgate.compiler.format.PolicyFormatter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code meshgate fmt --check examples/} as a test: every example is already in the canonical
 * layout, so what users copy from is what the formatter prints.
 */
class ExamplesFormattedTest {

  static List<Path> policyFiles() throws IOException {
    Path examples = ProjectRoot.find().resolve("examples");
    try (Stream<Path> walk = Files.walk(examples)) {
      return walk.filter(p -> p.toString().endsWith(PolicySources.EXTENSION))
          .filter(p -> {
            String top = examples.relativize(p).getName(0).toString();
            return !top.equals("src") && !top.equals("target");
          })
          .sorted()
          .toList();
    }
  }

  @Test
  void thereArePolicyFiles() throws IOException {
    assertThat(policyFiles()).anyMatch(p -> p.endsWith("all-features/all-features.mesh"));
  }

  @TestFactory
  Stream<DynamicTest> everyExampleIsCanonical() throws IOException {
    Path root = ProjectRoot.find();
    return policyFiles().stream()
        .map(file ->
            DynamicTest.dynamicTest(
                root.relativize(file).toString(),
                () -> {
                  Source source =
                      new Source(root.relativize(file).toString(), Files.readString(file));
                  FormatResult result = PolicyFormatter.format(source);
                  assertThat(result.formatted())
                      .as(() ->
                          "syntax errors:\n"
                              + result.diagnostics().stream()
                                  .map(Diagnostic::render)
                                  .collect(Collectors.joining("\n")))
                      .isPresent();
                  assertThat(source.text())
                      .as(
                          "%s is not in the canonical layout; run: bin/meshgate fmt examples/",
                          source.name())
                      .isEqualTo(result.formatted().get());
                }));
  }
}
