package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fmt -}, {@code check -}, {@code fmt --diff} and {@code --color}: what editors need. */
class StdinAndDiffTest {
  private static final String MESSY =
      "service a {source static 127.0.0.1:9101   # the app\n}\nallow  b ->a\n";
  private static final String CANONICAL =
      "service a {\n  source static 127.0.0.1:9101 # the app\n}\n\nallow b -> a\n";
  private static final InputStream STDIN = System.in;

  @TempDir Path dir;

  @AfterEach
  void restoreStdin() {
    System.setIn(STDIN);
  }

  private static Cli.Result withStdin(byte[] input, String... args) {
    System.setIn(new ByteArrayInputStream(input));
    return Cli.run(args);
  }

  private static Cli.Result withStdin(String input, String... args) {
    return withStdin(input.getBytes(StandardCharsets.UTF_8), args);
  }

  @Test
  void fmtDashFormatsStandardInputToStandardOutput() {
    Cli.Result r = withStdin(MESSY, "fmt", "-");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(CANONICAL);
    assertThat(r.err()).isEmpty();
    assertThat(withStdin(CANONICAL, "fmt", "-").out()).isEqualTo(CANONICAL);

    Cli.Result check = withStdin(MESSY, "fmt", "--check", "-");
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out()).isEqualTo("<stdin>\n");
  }

  @Test
  void fmtDashWithASyntaxErrorPrintsNothingOnStdout() {
    Cli.Result r = withStdin("service a {\n", "fmt", "-");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("<stdin>:").contains("error[");
  }

  @Test
  void checkDashChecksStandardInput() {
    Cli.Result ok = withStdin(TestPolicies.GOOD, "check", "-");
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.err()).isEqualTo("ok: 1 file, no findings\n");
    Cli.Result bad = withStdin(TestPolicies.BAD, "check", "-");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("<stdin>:7:28: error[MG201]");

    Cli.Result notUtf8 = withStdin(new byte[] {'s', (byte) 0xff, (byte) 0xfe}, "check", "-");
    assertThat(notUtf8.exitCode()).isEqualTo(3);
    assertThat(notUtf8.err())
        .isEqualTo("meshgate: cannot read policy from standard input: it is not UTF-8 text\n");
  }

  @Test
  void dashMustBeTheOnlyPathAndOnlyWhereItMakesSense() throws IOException {
    Path file = Files.writeString(dir.resolve("a.mesh"), CANONICAL);
    Cli.Result mixed = withStdin(MESSY, "check", "-", file.toString());
    assertThat(mixed.exitCode()).isEqualTo(2);
    assertThat(mixed.err())
        .isEqualTo(
            "meshgate: '-' (standard input) must be the only PATH; give files or '-', not both\n");
    Cli.Result serve = withStdin(MESSY, "serve", "-");
    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.err())
        .isEqualTo("meshgate: serve watches files, not standard input: give PATH, not '-'\n");
  }

  @Test
  void fmtDiffPrintsAUnifiedDiffAndWritesNothing() throws IOException {
    Path messy = Files.writeString(dir.resolve("messy.mesh"), MESSY);
    Files.writeString(dir.resolve("clean.mesh"), CANONICAL);
    Cli.Result r = Cli.run("fmt", "--diff", dir.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "--- "
                + messy
                + "\n+++ "
                + messy
                + " (formatted)\n"
                + "@@ -1,3 +1,5 @@\n"
                + "-service a {source static 127.0.0.1:9101   # the app\n"
                + "+service a {\n"
                + "+  source static 127.0.0.1:9101 # the app\n"
                + " }\n"
                + "-allow  b ->a\n"
                + "+\n"
                + "+allow b -> a\n");
    assertThat(Files.readString(messy)).isEqualTo(MESSY);
    assertThat(Cli.run("fmt", "--diff", "--check", dir.toString()).exitCode()).isEqualTo(1);
  }

  @Test
  void colorAlwaysColorsTheHeadlineAndCaretsNeverAndAutoOffATerminalDoNot() {
    Cli.Result always = withStdin(TestPolicies.BAD, "check", "--color", "always", "-");
    assertThat(always.err())
        .startsWith("\u001b[1m<stdin>:7:28\u001b[0m: \u001b[1;31merror[MG201]\u001b[0m: ")
        .contains("   |                            \u001b[1;31m^^^^^^\u001b[0m\n");
    Cli.Result never = withStdin(TestPolicies.BAD, "check", "--color=never", "-");
    assertThat(never.err()).doesNotContain("\u001b[");
    Cli.Result auto = withStdin(TestPolicies.BAD, "check", "-"); // tests have no console
    assertThat(auto.err()).doesNotContain("\u001b[");
    Cli.Result wrong = withStdin(TestPolicies.BAD, "check", "--color", "sometimes", "-");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err())
        .startsWith(
            "meshgate: Invalid value for option '--color': expected one of [auto, always, never]"
                + " (case-insensitive) but was 'sometimes'\n");
  }
}
