package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code meshgate test}: output, exit codes, and every example's tests passing. */
class TestCommandTest {
  @TempDir Path dir;

  private static final String TESTS =
      """
      test "health is answered by the gateway" {
        expect GET api.example/healthz via edge => 200
      }
      test "a tenth reaches v2" {
        expect GET api.example/catalog/items via edge => catalog.v1 90%, catalog.v2 10%
      }
      """;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void passingTestsPrintATickEachAndTheSummaryAndExitZero() throws IOException {
    Path policy = write("shop.mesh", TestPolicies.GOOD + TESTS);
    Cli.Result r = Cli.run("test", policy.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "✓ health is answered by the gateway\n✓ a tenth reaches v2\n\n2 passed, 0 failed\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aFailingTestShowsExpectedGotTheDecidingRouteAndACaretAndExitsOne() throws IOException {
    Path policy =
        write(
            "shop.mesh",
            TestPolicies.GOOD.replace(
                    "catalog.v1 90%, catalog.v2 10%", "catalog.v1 80%, catalog.v2 20%")
                + TESTS);
    Cli.Result r = Cli.run("test", policy.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    String file = policy.toString();
    assertThat(r.out())
        .isEqualTo(
            "✓ health is answered by the gateway\n"
                + "✗ a tenth reaches v2\n"
                + "  "
                + file
                + ":18:3: GET api.example/catalog/items via edge\n"
                + "    expected: catalog.v1 90%, catalog.v2 10%\n"
                + "    got:      catalog.v1 80%, catalog.v2 20%\n"
                + "    decided by route api.example/2 at "
                + file
                + ":11:5\n"
                + "   18 |   expect GET api.example/catalog/items via edge => catalog.v1 90%, catalog.v2 10%\n"
                + "      |                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
                + "\n"
                + "1 passed, 1 failed\n");
    assertThat(r.out().lines()).contains("1 passed, 1 failed");
  }

  @Test
  void jwtClaimsInATestExpect401403And200() throws IOException {
    Path policy =
        write(
            "shop.mesh",
            """
            service api { source static 127.0.0.1:9001 }
            gateway edge {
              listen :8080
              jwt-provider "idp" {
                issuer "https://idp.example/"
                audiences "shop-api"
                jwks "https://idp.example/jwks.json"
                claim "sub" to-header "x-user"
              }
              host "api.example" {
                require jwt "idp"
                route /admin/** {
                  allow jwt claim "role" = "admin"
                  to api
                }
                route /** { to api }
              }
            }
            test "jwt" {
              expect GET api.example/admin/x via edge => 401
              expect GET api.example/admin/x via edge with jwt claims { "role" = "user" } => 403
              expect GET api.example/admin/x via edge with jwt claims { "aud" = "other" } => 403
              expect GET api.example/x via edge with jwt claims { "iss" = "https://evil.example/" } => 401
              expect GET api.example/admin/x via edge with jwt claims { "role" = "admin", "sub" = "ada" } => api with request-header "x-user" = "ada"
            }
            test "a wrong expectation fails" {
              expect GET api.example/admin/x via edge with jwt claims { "role" = "admin" } => 403
            }
            """);
    Cli.Result r = Cli.run("test", policy.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).startsWith("✓ jwt\n✗ a wrong expectation fails\n");
    assertThat(r.out()).contains("    got:      api").endsWith("1 passed, 1 failed\n");
  }

  @Test
  void aPolicyWithErrorsIsReportedLikeCheckAndExitsOne() throws IOException {
    Path policy =
        write(
            "shop.mesh",
            TestPolicies.GOOD + "test \"t\" { expect GET api.example/ via edg => catalog }\n");
    Cli.Result r = Cli.run("test", policy.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("error[MG801]: unknown gateway \"edg\"; did you mean \"edge\"?")
        .contains("1 error");
  }

  @Test
  void noTestsIsNotAFailureButSaysSo() throws IOException {
    Path policy = write("shop.mesh", TestPolicies.GOOD);
    Cli.Result r = Cli.run("test", policy.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("\n0 passed, 0 failed\n");
    assertThat(r.err()).contains("no test blocks in 1 file");
  }

  @Test
  void usageAndFileErrors() {
    assertThat(Cli.run("test").exitCode()).isEqualTo(2);
    assertThat(Cli.run("test", "--nope", "x.mesh").exitCode()).isEqualTo(2);
    Cli.Result missing = Cli.run("test", dir.resolve("missing.mesh").toString());
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.err()).contains("no such file or directory");
    Cli.Result help = Cli.run("test", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: meshgate test [-hV]");
    String description = help.out().substring(0, help.out().indexOf("      PATH..."));
    assertThat(description)
        .contains("--format json or sarif")
        .contains("-o/--output")
        .contains("docs/ci.md");
  }

  static Stream<Path> examples() throws IOException {
    Path examples = Path.of(System.getProperty("meshgate.project.root", ".."), "examples");
    try (Stream<Path> dirs = Files.list(examples)) {
      return dirs.filter(d -> Files.isDirectory(d) && hasPolicy(d)).sorted().toList().stream();
    }
  }

  private static boolean hasPolicy(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(".mesh"));
    } catch (IOException e) {
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleHasTestsAndTheyPass(Path example) {
    Cli.Result r = Cli.run("test", example.toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("✓ ")
        .doesNotContain("✗")
        .containsPattern("\n[1-9][0-9]* passed, 0 failed\n$");
  }
}
