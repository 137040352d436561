package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshgate check --werror} and {@code --show-suppressed}, and how reports show them. */
class CheckCommandTest {

  @TempDir Path dir;

  /** One warning: subset v2 is never used (MG721 at 4:10). */
  static final String WARNS =
      """
      service catalog {
        source static 127.0.0.1:9101 labels version=v1, 127.0.0.1:9102 labels version=v2
        subset v1 where version = "v1"
        subset v2 where version = "v2"
      }
      gateway edge { listen 127.0.0.1:10000 host "*" { route /** { to catalog.v1 } } }
      """;

  /** One error silenced with a reason (MG701 at 4:3). */
  static final String SILENCED =
      """
      service catalog { source static 127.0.0.1:9101 }
      gateway edge { listen 127.0.0.1:10000 host "*" {
        route /api/** { to catalog }
        route /api/old { to catalog }   # meshgate:ignore MG701 old clients, answered by the route above
      } }
      """;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void warningsPassWithoutWerrorAndFailWithIt() throws IOException {
    Path p = write("w.mesh", WARNS);

    Cli.Result plain = Cli.run("check", p.toString());
    assertThat(plain.exitCode()).isZero();
    assertThat(plain.err()).contains("warning[MG721]").endsWith("0 errors, 1 warning in 1 file\n");

    Cli.Result strict = Cli.run("check", "--werror", p.toString());
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.err()).isEqualTo(plain.err());
  }

  @Test
  void silencedFindingsNeitherPrintNorCountButCanBeListed() throws IOException {
    Path p = write("s.mesh", SILENCED);

    Cli.Result r = Cli.run("check", "--werror", p.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEqualTo("ok: 1 file, no findings\n");

    Cli.Result shown = Cli.run("check", "--show-suppressed", p.toString());
    assertThat(shown.exitCode()).isZero();
    assertThat(shown.err())
        .isEqualTo(
            "ok: 1 file, no findings\n"
                + "1 suppressed finding:\n"
                + "\n"
                + p
                + ":4:3: error[MG701]: this route can never match: it is shadowed by the route at line 3 (`/api/**`),"
                + " which comes first and matches every request this one matches; move this route above it, or narrow that one\n"
                + " 4 |   route /api/old { to catalog }   # meshgate:ignore MG701 old clients, answered by the route above\n"
                + "   |   ^^^^^^^^^^^^^^\n"
                + " = suppressed by "
                + p
                + ":4:35: old clients, answered by the route above\n");
  }

  @Test
  void reportsFollowTheWerrorExitDecision() throws IOException {
    Path p = write("w.mesh", WARNS);

    Cli.Result plainJson = Cli.run("check", "--format", "json", p.toString());
    assertThat(plainJson.exitCode()).isZero();
    assertThat(new ObjectMapper().readTree(plainJson.out()).path("ok").asBoolean()).isTrue();

    Cli.Result strictJson = Cli.run("check", "--werror", "--format", "json", p.toString());
    assertThat(strictJson.exitCode()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(strictJson.out());
    assertThat(json.path("ok").asBoolean()).isFalse();
    assertThat(json.at("/summary/errors").asInt()).isZero();
    assertThat(json.at("/summary/warnings").asInt()).isEqualTo(1);

    JsonNode plainSarif =
        new ObjectMapper().readTree(Cli.run("check", "--format", "sarif", p.toString()).out());
    ReportsTest.assertValidSarif(plainSarif);
    assertThat(plainSarif.at("/runs/0/invocations/0/exitCode").asInt()).isZero();
    assertThat(plainSarif.at("/runs/0/invocations/0/executionSuccessful").asBoolean()).isTrue();
    assertThat(plainSarif.at("/runs/0/invocations/0/exitCodeDescription").isMissingNode()).isTrue();

    Cli.Result strictSarif = Cli.run("check", "--werror", "--format", "sarif", p.toString());
    assertThat(strictSarif.exitCode()).isEqualTo(1);
    JsonNode sarif = new ObjectMapper().readTree(strictSarif.out());
    ReportsTest.assertValidSarif(sarif);
    JsonNode invocation = sarif.at("/runs/0/invocations/0");
    assertThat(invocation.path("executionSuccessful").asBoolean())
        .isTrue(); // the analysis ran fine
    assertThat(invocation.path("exitCode").asInt()).isEqualTo(1);
    assertThat(invocation.path("exitCodeDescription").asText())
        .isEqualTo("1 warning, treated as errors (--werror)");
    assertThat(sarif.at("/runs/0/results/0/level").asText())
        .isEqualTo("warning"); // the finding is what it is
  }

  @Test
  void errorsFailTheReportWithOrWithoutWerror() throws IOException {
    Path p = write("bad.mesh", TestPolicies.BAD);
    JsonNode sarif =
        new ObjectMapper().readTree(Cli.run("check", "--format", "sarif", p.toString()).out());
    assertThat(sarif.at("/runs/0/invocations/0/exitCode").asInt()).isEqualTo(1);
    assertThat(sarif.at("/runs/0/invocations/0/exitCodeDescription").asText())
        .isEqualTo("the policy has 1 error");
    assertThat(
            new ObjectMapper()
                .readTree(Cli.run("check", "--format", "json", p.toString()).out())
                .path("ok")
                .asBoolean())
        .isFalse();
  }

  @Test
  void silencedFindingsAreSuppressedSarifResults() throws IOException {
    Path p = write("s.mesh", SILENCED);
    Cli.Result r = Cli.run("check", "--werror", "--format", "sarif", p.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEqualTo("ok: 1 file, no findings\n"); // text unchanged
    JsonNode sarif = new ObjectMapper().readTree(r.out());
    ReportsTest.assertValidSarif(sarif);
    assertThat(sarif.at("/runs/0/invocations/0/exitCode").asInt()).isZero();
    assertThat(sarif.at("/runs/0/results").size()).isEqualTo(1);
    JsonNode result = sarif.at("/runs/0/results/0");
    assertThat(result.path("ruleId").asText()).isEqualTo("MG701");
    assertThat(result.path("level").asText()).isEqualTo("error");
    assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(4);
    assertThat(result.at("/locations/0/physicalLocation/region/startColumn").asInt()).isEqualTo(3);
    assertThat(result.path("suppressions").size()).isEqualTo(1);
    JsonNode suppression = result.at("/suppressions/0");
    assertThat(suppression.path("kind").asText()).isEqualTo("inSource");
    assertThat(suppression.path("justification").asText())
        .isEqualTo("old clients, answered by the route above");
    assertThat(suppression.at("/location/physicalLocation/region/startLine").asInt()).isEqualTo(4);
    assertThat(suppression.at("/location/physicalLocation/region/startColumn").asInt())
        .isEqualTo(35);
    JsonNode rule = sarif.at("/runs/0/tool/driver/rules").get(result.path("ruleIndex").asInt());
    assertThat(rule.at("/shortDescription/text").asText())
        .isEqualTo("Route shadowed by an earlier route of its host");

    // Unsilenced findings carry no suppressions at all.
    JsonNode plain =
        new ObjectMapper()
            .readTree(
                Cli.run("check", "--format", "sarif", write("w.mesh", WARNS).toString()).out());
    assertThat(plain.at("/runs/0/results/0/suppressions").isMissingNode()).isTrue();
  }

  @Test
  void silencedFindingsAreListedInJson() throws IOException {
    Path p = write("s.mesh", SILENCED);
    Cli.Result r = Cli.run("check", "--format", "json", p.toString());
    assertThat(r.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("ok").asBoolean()).isTrue();
    assertThat(json.path("diagnostics").size()).isZero();
    assertThat(json.at("/summary/errors").asInt()).isZero();
    assertThat(json.at("/summary/suppressed").asInt()).isEqualTo(1);
    JsonNode s = json.at("/suppressed/0");
    assertThat(s.path("severity").asText()).isEqualTo("error");
    assertThat(s.path("code").asText()).isEqualTo("MG701");
    assertThat(s.path("line").asInt()).isEqualTo(4);
    assertThat(s.path("column").asInt()).isEqualTo(3);
    assertThat(s.path("message").asText()).startsWith("this route can never match");
    assertThat(s.at("/suppressedBy/file").asText()).isEqualTo(p.toString());
    assertThat(s.at("/suppressedBy/line").asInt()).isEqualTo(4);
    assertThat(s.at("/suppressedBy/column").asInt()).isEqualTo(35);
    assertThat(s.at("/suppressedBy/reason").asText())
        .isEqualTo("old clients, answered by the route above");

    JsonNode clean =
        new ObjectMapper()
            .readTree(
                Cli.run("check", "--format", "json", write("w.mesh", WARNS).toString()).out());
    assertThat(clean.path("suppressed").isArray()).isTrue();
    assertThat(clean.path("suppressed").size()).isZero();
  }
}
