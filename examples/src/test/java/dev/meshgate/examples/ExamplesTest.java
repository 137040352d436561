package dev.meshgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.ProxyResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example is a test: each directory under {@code examples/} holding {@code *.mesh} files is
 * one policy, which must compile without errors, and whose every proxy group's Envoy configuration
 * a real Envoy must accept ({@code envoy --mode validate}).
 */
class ExamplesTest {
  /** Module plumbing, never examples. */
  private static final Set<String> NOT_EXAMPLES = Set.of("src", "target");

  static List<Path> examples() throws IOException {
    Path dir = ProjectRoot.find().resolve("examples");
    try (Stream<Path> children = Files.list(dir)) {
      return children
          .filter(Files::isDirectory)
          .filter(child -> !NOT_EXAMPLES.contains(child.getFileName().toString()))
          .filter(ExamplesTest::hasPolicy)
          .sorted()
          .toList();
    }
  }

  private static boolean hasPolicy(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(PolicySources.EXTENSION));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void thereAreExamples() throws IOException {
    assertThat(examples())
        .extracting(p -> p.getFileName().toString())
        .contains("quickstart", "all-features");
  }

  @TestFactory
  Stream<DynamicNode> everyExampleCompilesAndEnvoyAcceptsIt() throws IOException {
    return examples().stream()
        .map(example ->
            DynamicContainer.dynamicContainer(
                example.getFileName().toString(),
                Stream.of(
                    DynamicTest.dynamicTest(
                        "compiles and Envoy accepts every group", () -> check(example)))));
  }

  private void check(Path example) throws Exception {
    Compilation compilation = Compiler.compile(PolicySources.load(List.of(example)));
    // Examples are what users copy first: they check clean, warnings included.
    assertThat(compilation.diagnostics())
        .as(() ->
            "findings in "
                + example
                + ":\n"
                + compilation.diagnostics().stream()
                    .map(Diagnostic::render)
                    .collect(Collectors.joining("\n")))
        .isEmpty();
    CompiledPolicy policy = compilation.policy().orElseThrow();
    assertThat(policy.groups()).as("proxy groups of %s", example).isNotEmpty();

    Envoy envoy = Envoy.require();
    for (ProxyResources group : policy.groups()) {
      envoy.assertAccepts(
          example.getFileName() + "-" + group.group().fileStem(),
          StaticBootstrap.json(group, policy.ir()));
    }
  }
}
