package dev.meshgate.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Suppressed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code # meshgate:ignore CODE reason}: what it silences, where, and what it never does. */
class SuppressionTest {

  /** Line 3 is shadowed by line 2 (MG701). */
  static final String SHADOW =
      """
      service catalog { source static 127.0.0.1:9101 }
      gateway edge { listen :8080 host "*" {
        route /api/** { to catalog }
      %s
        route /api/old { to catalog }%s
        route /** { to catalog }
      } }
      """;

  private static Compilation compile(String text) {
    return Compiler.compile(List.of(new Source("t.mesh", text)));
  }

  private static List<String> codes(Compilation c) {
    return c.diagnostics().stream().map(Diagnostic::code).toList();
  }

  @Test
  void anIgnoreAboveSilencesTheNextCodeLineAndTheErrorNoLongerStopsCompilation() {
    Compilation c =
        compile(
            SHADOW.formatted(
                "  # meshgate:ignore MG701 old clients still call it\n\n  # another comment", ""));

    assertThat(c.diagnostics()).isEmpty();
    assertThat(c.policy()).isPresent();
    assertThat(c.suppressed())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.diagnostic().code()).isEqualTo("MG701");
          assertThat(s.diagnostic().span().line()).isEqualTo(7);
          assertThat(s.comment().line()).isEqualTo(4);
          assertThat(s.reason()).isEqualTo("old clients still call it");
          assertThat(s.render())
              .endsWith("\n = suppressed by t.mesh:4:3: old clients still call it");
        });
  }

  @Test
  void aTrailingIgnoreSilencesItsOwnLineOnly() {
    Compilation own =
        compile(SHADOW.formatted("", "  # meshgate:ignore MG701 kept for the migration"));
    assertThat(own.diagnostics()).isEmpty();
    assertThat(own.suppressed()).extracting(s -> s.diagnostic().code()).containsExactly("MG701");

    // Trailing on the line above: it applies to that line, not to the shadowed route below it.
    Compilation above =
        compile(
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 host "*" {
              route /api/** { to catalog }   # meshgate:ignore MG701 meant for the next line
              route /api/old { to catalog }
            } }
            """);
    assertThat(codes(above)).containsExactly("MG701");
    assertThat(above.suppressed()).isEmpty();
  }

  @Test
  void anotherCodeOrAnotherFileSilencesNothing() {
    Compilation otherCode =
        compile(SHADOW.formatted("  # meshgate:ignore MG408 the wrong code", ""));
    assertThat(codes(otherCode)).containsExactly("MG701");

    Compilation otherFile =
        Compiler.compile(
            List.of(
                new Source("a.mesh", SHADOW.formatted("", "")),
                new Source(
                    "b.mesh",
                    "\n\n\n\n\n\n# meshgate:ignore MG701 same line number, other file\nservice other { source static 127.0.0.1:9201 }\n")));
    assertThat(otherFile.diagnostics())
        .extracting(d -> d.span().file() + " " + d.code())
        .containsExactly("a.mesh MG701");
  }

  @Test
  void withoutAReasonTheIgnoreIsNotApplied() {
    Compilation c = compile(SHADOW.formatted("  # meshgate:ignore MG701", ""));

    assertThat(codes(c)).containsExactly("MG790", "MG701");
    assertThat(c.suppressed()).isEmpty();
  }

  @Test
  void errorsThatMakeThePolicyUnsoundStay() {
    Compilation c =
        compile(
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 host "*" {
              route /** { to catalg }   # meshgate:ignore MG201 not yet
            } }
            """);

    assertThat(codes(c)).containsExactly("MG201", "MG792");
    assertThat(c.policy()).isEmpty();
    assertThat(c.suppressed()).isEmpty();
  }

  @Test
  void unusedIgnoresAreJudgedOnlyOnAPolicyWithoutErrors() {
    String unused = "# meshgate:ignore MG720 nothing here\n";
    assertThat(codes(compile(SHADOW.formatted("", "") + unused))).containsExactly("MG701");
    assertThat(codes(compile(SHADOW.formatted("", "  # meshgate:ignore MG701 known") + unused)))
        .containsExactly("MG791");
  }

  @Test
  void severalCodesInOneIgnore() {
    Compilation c =
        compile(
            """
            service catalog {
              source static 127.0.0.1:9101 labels version=v1
              subset v3 where version = "v3"   # meshgate:ignore MG214,MG721 reserved for the v3 rollout
            }
            gateway edge { listen :8080 host "*" { route /** { to catalog } } }
            """);

    assertThat(c.diagnostics()).isEmpty();
    assertThat(c.suppressed())
        .extracting(s -> s.diagnostic().code())
        .containsExactly("MG214", "MG721");
  }

  @Test
  void onlyWarningsAndSoundAnalysisErrorsAreSilenceable() {
    assertThat(Codes.all())
        .filteredOn(Codes::silenceable)
        // Test codes are MG8xx, except the api-key and basic-auth ones (issue 12), which sit in
        // their feature's range.
        .filteredOn(code ->
            !code.startsWith("MG8")
                && !code.equals(TestCodes.API_KEY_NOT_SUPPORTED)
                && !code.equals(TestCodes.BASIC_AUTH_NOT_SUPPORTED))
        .allSatisfy(code ->
            assertThat(Codes.WARNINGS.contains(code) || Codes.SILENCEABLE_ERRORS.contains(code))
                .isTrue());
    assertThat(Codes.silenceable("MG101")).isFalse();
    assertThat(Codes.silenceable("MG201")).isFalse();
    assertThat(Codes.silenceable("MG791")).isFalse();
    assertThat(Codes.silenceable("MG701")).isTrue();
    assertThat(Codes.silenceable("MG720")).isTrue();
  }

  @Test
  void theGoldenCaseCompilesCleanWithEveryFindingListed() throws Exception {
    java.nio.file.Path file =
        java.nio.file.Path.of(
            System.getProperty("meshgate.project.root", ".."),
            "compiler/src/test/resources/golden/analysis/suppressed.mesh");
    Compilation c =
        Compiler.compile(
            List.of(new Source("suppressed.mesh", java.nio.file.Files.readString(file))));

    assertThat(c.diagnostics()).isEmpty();
    assertThat(c.suppressed())
        .extracting(s -> s.diagnostic().code() + "@" + s.diagnostic().span().line())
        .containsExactly(
            "MG721@6", "MG214@7", "MG721@7", "MG720@10", "MG701@18", "MG410@19", "MG702@25");
    assertThat(c.suppressed())
        .extracting(Suppressed::reason)
        .allSatisfy(r -> assertThat(r).isNotBlank());
  }
}
