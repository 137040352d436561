package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshgate check --werror} and {@code --show-suppressed}. */
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
                + p + ":4:3: error[MG701]: this route can never match: it is shadowed by the route at line 3 (`/api/**`),"
                + " which comes first and matches every request this one matches; move this route above it, or narrow that one\n"
                + " 4 |   route /api/old { to catalog }   # meshgate:ignore MG701 old clients, answered by the route above\n"
                + "   |   ^^^^^^^^^^^^^^\n"
                + " = suppressed by " + p + ":4:35: old clients, answered by the route above\n");
  }
}
