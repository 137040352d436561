package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FmtCommandTest {
  private static final String MESSY =
      "service a {source static 127.0.0.1:9101   # the app\n}\nallow  b ->a\n";
  private static final String CANONICAL =
      "service a {\n  source static 127.0.0.1:9101 # the app\n}\n\nallow b -> a\n";

  @TempDir Path dir;

  @Test
  void rewritesFilesThatAreNotCanonicalAndPrintsTheirPaths() throws IOException {
    Path messy = write("messy.mesh", MESSY);
    Path clean = write("clean.mesh", CANONICAL);
    FileTime cleanTime = Files.getLastModifiedTime(clean);

    Cli.Result r = Cli.run("fmt", dir.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(messy + "\n");
    assertThat(r.err()).isEmpty();
    assertThat(Files.readString(messy)).isEqualTo(CANONICAL);
    assertThat(Files.getLastModifiedTime(clean))
        .as("an unchanged file is not written")
        .isEqualTo(cleanTime);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("no temporary file left behind").hasSize(2);
    }
  }

  @Test
  void keepsTheFilePermissions() throws IOException {
    Path messy = write("messy.mesh", MESSY);
    Files.setPosixFilePermissions(messy, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(Cli.run("fmt", messy.toString()).exitCode()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(messy)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void checkWritesNothingAndFailsListingFilesThatWouldChange() throws IOException {
    Path messy = write("messy.mesh", MESSY);
    write("clean.mesh", CANONICAL);

    Cli.Result r = Cli.run("fmt", "--check", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo(messy + "\n");
    assertThat(r.err()).contains("1 file not in canonical layout; run 'meshgate fmt' on it");
    assertThat(Files.readString(messy)).isEqualTo(MESSY);
  }

  @Test
  void checkOfCanonicalFilesPasses() throws IOException {
    write("clean.mesh", CANONICAL);
    Cli.Result r = Cli.run("fmt", "--check", dir.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aFileWithSyntaxErrorsIsReportedAndLeftAlone() throws IOException {
    String broken = "service a {\n  source static ;\n}\n";
    Path bad = write("bad.mesh", broken);
    Path messy = write("messy.mesh", MESSY);

    Cli.Result r = Cli.run("fmt", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("bad.mesh:2:17: error[MG102]")
        .contains("1 file not formatted: fix the syntax errors above first");
    assertThat(Files.readString(bad)).isEqualTo(broken);
    assertThat(r.out()).as("the other files are still formatted").isEqualTo(messy + "\n");
    assertThat(Files.readString(messy)).isEqualTo(CANONICAL);
  }

  @Test
  void usageErrors() {
    assertThat(Cli.run("fmt").exitCode()).isEqualTo(2);
    assertThat(Cli.run("fmt", "--chek", "x.mesh").exitCode()).isEqualTo(2);
  }

  @Test
  void aMissingPathIsAFailure() {
    Cli.Result r = Cli.run("fmt", dir.resolve("nope.mesh").toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("no such file or directory");
  }

  @Test
  void hasHelp() {
    Cli.Result r = Cli.run("fmt", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("Usage: meshgate fmt [-hV] [--check] [--diff] [--color=WHEN] PATH...");
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }
}
