package dev.meshgate.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever the text, the compiler answers with diagnostics and never throws: every golden input,
 * truncated and sprinkled with random characters and tokens (fixed seeds, so a failure reproduces).
 */
class GarbageInputTest {
  private static final int MUTATIONS_PER_FILE = 25;
  private static final String[] SNIPPETS = {
    "{", "}", "\"", "%", ",", ".", ":", "~", "=>", "=", "route", "to", "/**", "0",
        "99999999999999999999",
    "0ms", "retry", "host", "service", "gateway", "when", "\n", " ", "#", "é", "\t", "GET", "\\",
        "\"\\", "respond",
    "->", "*", "allow", "deny", "dry-run", "call", "mesh", "sidecar", "inbound", "app", "mtls",
        "authz default",
  };

  static Stream<Arguments> mutations() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    for (Path file : goldenInputs()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Random random = new Random(file.getFileName().toString().hashCode());
      for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
        cases.add(Arguments.of(file.getFileName() + "#" + i, mutate(text, random)));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutations")
  void neverThrows(String name, String text) {
    Compilation compilation = Compiler.compile(List.of(new Source("fuzz.mesh", text)));

    for (Diagnostic d : compilation.diagnostics()) {
      assertThat(d.code())
          .matches(
              "MG([1-8][0-9][0-9]|9[6-7][0-9])"); // MG96x access logs, MG97x tracing (issue 15)
      assertThat(d.render()).isNotBlank();
    }
  }

  private static String mutate(String text, Random random) {
    StringBuilder sb = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && !sb.isEmpty(); e++) {
      int at = random.nextInt(sb.length() + 1);
      switch (random.nextInt(5)) {
        case 0 -> sb.setLength(at);
        case 1 -> sb.insert(at, (char) (32 + random.nextInt(95)));
        case 2 -> sb.insert(at, SNIPPETS[random.nextInt(SNIPPETS.length)]);
        case 3 -> {
          if (at < sb.length()) {
            sb.deleteCharAt(at);
          }
        }
        default -> {
          int end = Math.min(sb.length(), at + random.nextInt(20));
          sb.delete(at, end);
        }
      }
    }
    return sb.toString();
  }

  private static List<Path> goldenInputs() throws IOException {
    Path root =
        Stream.of(
                Path.of("src/test/resources/golden"), Path.of("compiler/src/test/resources/golden"))
            .filter(Files::isDirectory)
            .findFirst()
            .orElseThrow();
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".mesh")).sorted().toList();
    }
  }
}
