package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/meshgate} as a user runs it (issue 17.4): short commands run with a class-data-sharing
 * archive that the launcher trains on first use, and that archive changes nothing but the time.
 */
class LauncherIT {
  private static final Path ROOT = ProjectRoot.get();
  private static final String QUICKSTART = ROOT.resolve("examples/quickstart").toString();

  @TempDir Path home;

  /** What a run printed and how it ended. */
  private record Run(int exit, String out, String err) {}

  @Test
  void shortCommandsPrintTheSameWithAndWithoutTheArchive() throws Exception {
    for (List<String> args :
        List.of(
            List.of("--version"),
            List.of("check", "--color=never", QUICKSTART),
            List.of("check", "--color=never", "--format=json", QUICKSTART),
            List.of("test", "--color=never", QUICKSTART))) {
      Run without = run(Map.of("MESHGATE_CDS", "off"), args);
      Run first = run(Map.of(), args); // trains the archive if this build has none yet
      // -Xshare:on makes the JVM fail rather than run without an archive it cannot map: this run
      // really used it.
      Run mapped = run(Map.of("MESHGATE_JAVA_OPTS", "-Xshare:on"), args);
      assertThat(first).as("%s, first run with the archive", args).isEqualTo(without);
      assertThat(mapped).as("%s, with the archive mapped", args).isEqualTo(without);
      assertThat(without.exit()).as("%s: %s", args, without.err()).isZero();
    }
    try (Stream<Path> files = Files.list(ROOT.resolve("cli/target"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("one archive, named by the fingerprint of this build")
          .filteredOn(name -> name.matches("meshgate-cli-[0-9]+\\.jsa"))
          .hasSize(1);
    }
  }

  private Run run(Map<String, String> env, List<String> args)
      throws IOException, InterruptedException {
    List<String> command =
        Stream.concat(Stream.of(ROOT.resolve("bin/meshgate").toString()), args.stream()).toList();
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("HOME", home.toString());
    builder.environment().remove("MESHGATE_CDS");
    builder.environment().remove("MESHGATE_JAVA_OPTS");
    builder.environment().putAll(env);
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("bin/meshgate " + args + " did not finish in 3 minutes");
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
