package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshgate.cli.report.Format;
import dev.meshgate.cli.report.Reports;
import dev.meshgate.cli.report.TestCaseResult;
import dev.meshgate.compiler.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SARIF and JSON reports of check and test, checked against what SARIF 2.1.0 requires. */
class ReportsTest {

  @TempDir Path dir;

  @Test
  void checkAsSarifHasEveryRequiredPropertyAndOneResultPerDiagnostic() throws IOException {
    Path bad = write("bad.mesh", TestPolicies.BAD);
    Cli.Result r = Cli.run("check", bad.toString(), "--format", "sarif");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("error[MG201]"); // the people's form stays on stderr
    JsonNode sarif = new ObjectMapper().readTree(r.out());
    assertValidSarif(sarif);
    JsonNode result = sarif.at("/runs/0/results/0");
    assertThat(sarif.at("/runs/0/results").size()).isEqualTo(1);
    assertThat(result.path("ruleId").asText()).isEqualTo("MG201");
    assertThat(result.path("level").asText()).isEqualTo("error");
    assertThat(result.at("/message/text").asText()).startsWith("unknown service \"catalg\"");
    JsonNode location = result.at("/locations/0/physicalLocation");
    assertThat(location.at("/region/startLine").asInt()).isEqualTo(7);
    assertThat(location.at("/region/startColumn").asInt()).isEqualTo(28);
    assertThat(location.at("/region/endColumn").asInt()).isEqualTo(34); // "catalg", end exclusive
    JsonNode rule = sarif.at("/runs/0/tool/driver/rules").get(result.path("ruleIndex").asInt());
    assertThat(rule.path("id").asText()).isEqualTo("MG201");
    assertThat(rule.at("/shortDescription/text").asText())
        .isEqualTo("Reference to an undeclared service");
    assertThat(sarif.at("/runs/0/tool/driver/name").asText()).isEqualTo("meshgate");
  }

  @Test
  void aFileUnderTheWorkingDirectoryIsARelativeUri() throws IOException {
    // Tests run in the module directory; src/test/... is below it.
    Path local = Path.of("target/reports-test/bad policy.mesh");
    Files.createDirectories(local.getParent());
    Files.writeString(local, TestPolicies.BAD);
    Cli.Result r = Cli.run("check", local.toString(), "--format", "sarif");
    JsonNode artifact =
        new ObjectMapper()
            .readTree(r.out())
            .at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation");
    assertThat(artifact.path("uri").asText()).isEqualTo("target/reports-test/bad%20policy.mesh");
    assertThat(artifact.path("uriBaseId").asText()).isEqualTo("%SRCROOT%");
  }

  @Test
  void checkAsJsonToAFile() throws IOException {
    Path bad = write("bad.mesh", TestPolicies.BAD);
    Path out = dir.resolve("out/check.json");
    Cli.Result r = Cli.run("check", bad.toString(), "--format", "json", "--output", out.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    JsonNode json = new ObjectMapper().readTree(Files.readString(out));
    assertThat(json.path("command").asText()).isEqualTo("check");
    assertThat(json.path("ok").asBoolean()).isFalse();
    assertThat(json.at("/summary/errors").asInt()).isEqualTo(1);
    assertThat(json.at("/summary/files").asInt()).isEqualTo(1);
    JsonNode d = json.at("/diagnostics/0");
    assertThat(d.path("severity").asText()).isEqualTo("error");
    assertThat(d.path("code").asText()).isEqualTo("MG201");
    assertThat(d.path("file").asText()).isEqualTo(bad.toString());
    assertThat(d.path("line").asInt()).isEqualTo(7);
    assertThat(d.path("column").asInt()).isEqualTo(28);
    assertThat(d.path("length").asInt()).isEqualTo(6);
    assertThat(d.path("rendered").asText()).contains("^^^^^^");
  }

  @Test
  void aCleanCheckAsSarifHasNoResultsAndTextIsUnchanged() throws IOException {
    Path good = write("good.mesh", TestPolicies.GOOD);
    Cli.Result sarif = Cli.run("check", good.toString(), "--format", "sarif");
    assertThat(sarif.exitCode()).isZero();
    JsonNode log = new ObjectMapper().readTree(sarif.out());
    assertValidSarif(log);
    assertThat(log.at("/runs/0/results").size()).isZero();
    Cli.Result text = Cli.run("check", good.toString(), "--format", "text");
    assertThat(text.out()).isEmpty();
    assertThat(text.err()).isEqualTo("ok: 1 file, no findings\n");
  }

  @Test
  void testResultsAsSarifAndJson() throws IOException {
    Span expect = new Span("shop.mesh", 30, 5, 40);
    List<TestCaseResult> tests =
        List.of(
            new TestCaseResult(
                "split",
                new Span("shop.mesh", 28, 3, 4),
                List.of(
                    new TestCaseResult.Failure(
                        expect,
                        "expected catalog.v2, got catalog.v1 (route api.example/2)",
                        "shop.mesh:30:5: …"))),
            new TestCaseResult("health", new Span("shop.mesh", 40, 3, 4), List.of()));
    JsonNode sarif =
        new ObjectMapper().readTree(Reports.testResults(Format.SARIF, tests, List.of()));
    assertValidSarif(sarif);
    JsonNode result = sarif.at("/runs/0/results/0");
    assertThat(result.path("ruleId").asText()).isEqualTo("meshgate-test");
    assertThat(result.path("level").asText()).isEqualTo("error");
    assertThat(result.at("/message/text").asText())
        .isEqualTo(
            "test \"split\" failed: expected catalog.v2, got catalog.v1 (route api.example/2)");
    assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(30);

    JsonNode json = new ObjectMapper().readTree(Reports.testResults(Format.JSON, tests, List.of()));
    assertThat(json.path("ok").asBoolean()).isFalse();
    assertThat(json.at("/summary/tests").asInt()).isEqualTo(2);
    assertThat(json.at("/summary/failed").asInt()).isEqualTo(1);
    assertThat(json.at("/tests/0/failures/0/line").asInt()).isEqualTo(30);
    assertThat(json.at("/tests/1/passed").asBoolean()).isTrue();

    assertThat(Reports.testResults(Format.TEXT, tests, List.of()))
        .startsWith("FAIL split\n")
        .endsWith("2 tests, 1 passed, 1 failed\n");
  }

  /**
   * The required properties of SARIF 2.1.0 (sarif-schema-2.1.0.json) for what meshgate writes:
   * sarifLog {version, runs}, run {tool}, tool {driver}, toolComponent {name}, result {message},
   * message {text}, reportingDescriptor {id}, physicalLocation {artifactLocation}, and a region's
   * line/columns at least 1.
   */
  static void assertValidSarif(JsonNode log) {
    assertThat(log.path("version").asText()).isEqualTo("2.1.0");
    assertThat(log.path("$schema").asText()).endsWith("sarif-2.1.0.json");
    assertThat(log.path("runs").isArray()).isTrue();
    for (JsonNode run : log.path("runs")) {
      assertThat(run.at("/tool/driver/name").isTextual()).isTrue();
      JsonNode rules = run.at("/tool/driver/rules");
      for (JsonNode rule : rules) {
        assertThat(rule.path("id").isTextual()).isTrue();
        assertThat(rule.at("/shortDescription/text").isTextual()).isTrue();
        assertThat(rule.at("/defaultConfiguration/level").asText())
            .isIn("none", "note", "warning", "error");
      }
      assertThat(run.path("results").isArray()).isTrue();
      for (JsonNode result : run.path("results")) {
        assertThat(result.at("/message/text").isTextual()).isTrue();
        assertThat(result.path("level").asText()).isIn("none", "note", "warning", "error");
        int index = result.path("ruleIndex").asInt();
        assertThat(rules.get(index).path("id").asText()).isEqualTo(result.path("ruleId").asText());
        for (JsonNode location : result.path("locations")) {
          JsonNode physical = location.path("physicalLocation");
          assertThat(physical.at("/artifactLocation/uri").isTextual()).isTrue();
          JsonNode region = physical.path("region");
          assertThat(region.path("startLine").asInt()).isPositive();
          assertThat(region.path("startColumn").asInt()).isPositive();
          assertThat(region.path("endColumn").asInt())
              .isGreaterThan(region.path("startColumn").asInt());
        }
      }
    }
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }
}
