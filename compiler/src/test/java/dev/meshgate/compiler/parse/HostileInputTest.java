package dev.meshgate.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.DiagnosticLimit;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small inputs that once crashed or stalled the compiler (issue 9): each compiles to a few exact
 * diagnostics. The fuzz tests replay the same inputs; these pin the text.
 */
class HostileInputTest {

  private static Compilation compile(String text) {
    return Compiler.compile(List.of(new Source("t.mesh", text)));
  }

  private static List<String> rendered(String text) {
    return compile(text).diagnostics().stream().map(Diagnostic::render).toList();
  }

  @Test
  void aLongStringLiteralCompiles() {
    String value = "x".repeat(8192 - 2);
    Compilation compilation =
        compile(
            "service a { source consul \""
                + value
                + "\" }\n"
                + "gateway g { listen :80 host \"*\" { route /** { to a } } }\n");

    assertThat(compilation.diagnostics()).isEmpty();
    assertThat(compilation.policy()).isPresent();
  }

  @Test
  void aLongStringWithEscapesKeepsItsValue() {
    String value = "a\\\"b\\\\".repeat(1000);
    Compilation compilation =
        compile(
            "service a { source consul \""
                + value
                + "\" }\n"
                + "gateway g { listen :80 host \"*\" { route /** { to a } } }\n");

    assertThat(compilation.diagnostics()).isEmpty();
    assertThat(compilation.policy().orElseThrow().ir().toString()).contains("a\"b\\a\"b\\");
  }

  @Test
  void aStringBeyondTheLimitIsOneError() {
    assertThat(rendered("service a { source consul \"" + "x".repeat(20_000) + "\" }\n"))
        .containsExactly(
            """
            t.mesh:1:27: error[MG104]: string too long: 20,002 characters, at most 8,192 are allowed
             1 | service a { source consul "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
               |                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """);
  }

  @Test
  void aPortOfAMillionDigitsIsOneErrorAndNeverBecomesANumber() {
    assertThat(rendered("service a { source static 127.0.0.1:" + "9".repeat(1_000_000) + " }\n"))
        .containsExactly(
            """
            t.mesh:1:37: error[MG104]: number too long: 1,000,000 characters, at most 64 are allowed; ports, status codes, retries and durations need a few digits
             1 | service a { source static 127.0.0.1:9999999999999999999999999999999999999999999999999999999999999999999999999999999999…
               |                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """);
  }

  @Test
  void tenThousandNestedBlocksAreOneError() {
    String nested =
        "gateway g { listen :80 host \"*\" "
            + "{ route /a ".repeat(10_000)
            + "}".repeat(10_000)
            + " }\n";

    assertThat(rendered(nested))
        .containsExactly(
            """
            t.mesh:1:198: error[MG105]: blocks nested too deep: this '{' opens level 17, and a policy never needs more than 3 (gateway { host { route { … } } }); look for a missing '}'
             1 | …ute /a { route /a { route /a { route /a { route /a { route /a { route /a { route /a { route /a { route /a { route /a {…
               |                                          ^\
            """);
  }

  @Test
  void aRegexOfThousandsOfNestedGroupsIsOneError() {
    String regex = "(".repeat(4000) + ")".repeat(4000);

    List<Diagnostic> diagnostics =
        compile(
                "service a { source static 127.0.0.1:9101 }\n"
                    + "gateway edge { listen :8080 host \"*\" { route ~ \""
                    + regex
                    + "\" { to a } } }\n")
            .diagnostics();

    assertThat(diagnostics)
        .extracting(Diagnostic::code, Diagnostic::message)
        .containsExactly(
            tuple(
                "MG308",
                "invalid regex: groups nested more than 1000 deep; RE2, which Envoy uses, allows no"
                    + " more"));
  }

  @Test
  void aFloodOfErrorsShowsTheFirstHundredAndCountsTheRest() {
    String flood =
        "gateway g { listen :80 host \"*\" {\n" + "route /a { timeout }\n".repeat(10_000) + "} }\n";

    List<Diagnostic> diagnostics = compile(flood).diagnostics();

    assertThat(diagnostics).hasSize(DiagnosticLimit.PER_FILE + 1);
    assertThat(diagnostics.get(0).render())
        .isEqualTo(
            """
            t.mesh:2:20: error[MG101]: expected a duration like 2s, or none, found '}'
             2 | route /a { timeout }
               |                    ^\
            """);
    assertThat(diagnostics.get(DiagnosticLimit.PER_FILE).render())
        .isEqualTo(
            """
            t.mesh:102:20: error[MG106]: too many diagnostics in this file: not showing 9,900 more from here on; fix the first 100 and check again
             102 | route /a { timeout }
                 |                    ^\
            """);
  }

  @Test
  void aMillionUnexpectedCharactersAreCountedNotKept() {
    List<Diagnostic> diagnostics = compile("@".repeat(1_000_000)).diagnostics();

    assertThat(diagnostics).hasSize(DiagnosticLimit.PER_FILE + 1);
    assertThat(diagnostics.get(DiagnosticLimit.PER_FILE).message())
        .isEqualTo(
            "too many diagnostics in this file: not showing 999,900 more from here on; fix the"
                + " first 100 and check again");
  }

  @Test
  void aDiagnosticOnALongLineEchoesAWindowWithTheCaretInPlace() {
    String line =
        "service a { source static 127.0.0.1:9101 }"
            + " ".repeat(300)
            + "gateway g { listen :80 host \"*\" { route /** { to nowhere } } }";

    assertThat(rendered(line))
        .contains(
            """
            t.mesh:1:392: error[MG201]: unknown service "nowhere"; declared services: a
             1 | …                                                        gateway g { listen :80 host "*" { route /** { to nowhere } } }
               |                                                                                                           ^^^^^^^\
            """);
  }

  @Test
  void aFileThatIsNotUtf8LoadsAndFailsWithAPosition(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.mesh");
    Files.write(
        file,
        "# caf\u00e9\nservice a {\n  source static 127.0.0.1:1\n}\n"
            .getBytes(StandardCharsets.ISO_8859_1));

    List<Source> sources = PolicySources.load(List.of(file));

    assertThat(Compiler.compile(sources).diagnostics())
        .extracting(Diagnostic::span, Diagnostic::code)
        .containsExactly(tuple(new Span(file.toString(), 1, 6, 1), "MG107"));
  }

  @Test
  void aByteOrderMarkIsSkipped() {
    byte[] bytes =
        "\ufeffservice a { source static 127.0.0.1:1 }\n".getBytes(StandardCharsets.UTF_8);

    Source source = Source.decode("t.mesh", bytes);

    assertThat(source.text()).startsWith("service a");
    assertThat(source.malformed()).isEmpty();
  }

  @Test
  void stringTokensAreTerminatedByAnUnescapedQuote() {
    assertThat(StringTokens.terminated("\"\"")).isTrue();
    assertThat(StringTokens.terminated("\"a\\\"b\"")).isTrue();
    assertThat(StringTokens.terminated("\"a\\\\\"")).isTrue();
    assertThat(StringTokens.terminated("\"a\\\"")).isFalse();
    assertThat(StringTokens.terminated("\"abc")).isFalse();
    assertThat(StringTokens.terminated("\"")).isFalse();
    assertThat(StringTokens.terminated("\"" + "x".repeat(100_000) + "\"")).isTrue();
  }
}
