package dev.meshgate.compiler.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.check.TestCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every MG8xx code is documented in docs/language.md and shows up in a golden case. */
class TestCodesDocumentedTest {
  static List<String> codes() {
    return Arrays.stream(TestCodes.class.getFields())
        .map(
            f -> {
              try {
                return (String) f.get(null);
              } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @Test
  void everyCodeIsDocumented() throws IOException {
    Path root = Path.of(System.getProperty("meshgate.project.root", ".."));
    String docs = Files.readString(root.resolve("docs/language.md"));
    assertThat(codes())
        .isNotEmpty()
        .allSatisfy(code -> assertThat(docs).contains("| " + code + " |"));
  }

  @Test
  void everyCodeHasAGoldenCase() throws IOException {
    Path root = Path.of(System.getProperty("meshgate.project.root", ".."));
    Path golden = root.resolve("compiler/src/test/resources/golden/tests");
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(golden)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
        all.append(Files.readString(p));
      }
    }
    assertThat(codes()).allSatisfy(code -> assertThat(all.toString()).contains("[" + code + "]"));
  }
}
