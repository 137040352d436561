package dev.meshgate.compiler.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Policy tests match regexes the way Envoy does, with RE2: in linear time. A backtracking engine
 * took 40 s for {@code (.*a){12}} against a path of 28 a's and a {@code !}, and more than doubled
 * with each further character, so one {@code expect} line could hang {@code meshgate test} (issue
 * 9: no regex backtracking over user input).
 */
class RegexMatchingTest {

  @Test
  void aRegexThatBacktracksExponentiallyInJavaIsMatchedLikeRe2() {
    String path = "/" + "a".repeat(40) + "!";
    Compilation compilation =
        Compiler.compile(
            List.of(
                new Source(
                    "t.mesh",
                    """
                    service a { source static 127.0.0.1:9101 }
                    gateway edge { listen :8080 host "*" {
                      route ~ "^/(.*a){12}$" { to a }
                      route /** { respond 404 }
                    } }
                    test "regex" {
                      expect GET x%s via edge => 404
                      expect GET x/aaaaaaaaaaaa via edge => a
                    }
                    """
                        .formatted(path))));

    assertThat(compilation.diagnostics()).isEmpty();
    List<TestResult> results = PolicySimulator.run(compilation.policy().orElseThrow());

    assertThat(results).singleElement().satisfies(r -> assertThat(r.passed()).isTrue());
  }
}
