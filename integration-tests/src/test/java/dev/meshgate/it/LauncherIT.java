package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/meshgate} as a user runs it (issue 17.4): short commands run with a class-data-sharing
 * archive that the launcher trains on first use (on JDK 25+ an AOT cache, before that a dynamic CDS
 * archive), and that archive changes nothing but the time; {@code serve} on JDK 25+ with an AOT
 * cache of its own first run (issue 17).
 */
class LauncherIT {
  private static final Path ROOT = ProjectRoot.get();
  private static final String QUICKSTART = ROOT.resolve("examples/quickstart").toString();

  /** The JDK the launcher is given (JAVA_HOME below) is this test's. */
  private static final boolean AOT = Runtime.version().feature() >= 25;

  private static final String ARCHIVE =
      AOT ? "meshgate-cli-[0-9]+\\.aot" : "meshgate-cli-[0-9]+\\.jsa";

  /**
   * Options that make the JVM fail rather than run without the archive it is given: the run that
   * passes with them really used it.
   */
  private static final String ARCHIVE_REQUIRED = AOT ? "-XX:AOTMode=on" : "-Xshare:on";

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
      Run mapped = run(Map.of("MESHGATE_JAVA_OPTS", ARCHIVE_REQUIRED), args);
      assertThat(first).as("%s, first run with the archive", args).isEqualTo(without);
      assertThat(mapped).as("%s, with the archive mapped", args).isEqualTo(without);
      assertThat(without.exit()).as("%s: %s", args, without.err()).isZero();
    }
    assertThat(archives()).as("one archive, named by the fingerprint of this build").hasSize(1);
  }

  @Test
  void aDamagedArchiveOnlyCostsTime() throws Exception {
    List<String> check = List.of("check", "--color=never", QUICKSTART);
    Run without = run(Map.of("MESHGATE_CDS", "off"), check);
    run(Map.of(), check); // trains the archive if this build has none yet
    List<Path> archives = archives();
    assertThat(archives).hasSize(1);
    Path archive = archives.get(0);
    byte[] good = Files.readAllBytes(archive);
    try {
      Files.write(archive, java.util.Arrays.copyOf(good, good.length / 3));
      assertThat(run(Map.of(), check)).as("a truncated archive").isEqualTo(without);
      // With the archive required, the JVM refuses it: the launcher really hands it over.
      assertThat(run(Map.of("MESHGATE_JAVA_OPTS", ARCHIVE_REQUIRED), check).exit()).isNotZero();
    } finally {
      Files.write(archive, good);
    }
    // The JVM refuses -Xshare: beside an AOT cache; the launcher then leaves the cache out.
    assertThat(run(Map.of("MESHGATE_JAVA_OPTS", "-Xshare:off"), check)).isEqualTo(without);
    assertThat(run(Map.of("MESHGATE_JAVA_OPTS", "-Xshare:auto"), check)).isEqualTo(without);
  }

  @Test
  void anotherBuildTrainsANewArchive() throws Exception {
    List<String> check = List.of("check", "--color=never", QUICKSTART);
    run(Map.of(), check);
    List<Path> before = archives();
    Path jar = jar();
    FileTime built = Files.getLastModifiedTime(jar);
    try {
      // What a rebuild changes in the fingerprint: the jar's time (and size).
      Files.setLastModifiedTime(jar, FileTime.fromMillis(built.toMillis() - 60_000));
      Run rebuilt = run(Map.of("MESHGATE_JAVA_OPTS", ARCHIVE_REQUIRED), check);
      assertThat(rebuilt.exit()).as(rebuilt.err()).isZero();
      assertThat(archives())
          .as("the stale archive replaced")
          .hasSize(1)
          .doesNotContainAnyElementsOf(before);
    } finally {
      Files.setLastModifiedTime(jar, built);
    }
  }

  @Test
  void aSymlinkToTheLauncherRunsThisCheckout() throws Exception {
    // bash resolves the link itself (readlink only for a link), so the checkout is found as before.
    Path link = Files.createSymbolicLink(home.resolve("meshgate"), ROOT.resolve("bin/meshgate"));
    List<String> check = List.of("check", "--color=never", QUICKSTART);
    try {
      Run linked = run(link, Map.of(), check);
      assertThat(linked).isEqualTo(run(Map.of(), check));
      assertThat(linked.exit()).as(linked.err()).isZero();
    } finally {
      Files.delete(link); // before @TempDir cleans up, which warns about a link leaving it
    }
  }

  @Test
  void anOldJdkIsNamedByTheVersionInItsReleaseFile() throws Exception {
    for (Map.Entry<String, String> jdk :
        Map.of("17.0.15", "17", "1.8.0_392", "8", "20", "20").entrySet()) {
      Path fake = home.resolve("jdk-" + jdk.getKey());
      Files.createDirectories(fake.resolve("bin"));
      // Never run: the launcher reads the version from the release file and stops there.
      Path java = Files.writeString(fake.resolve("bin/java"), "#!/bin/sh\nexit 99\n");
      assertThat(java.toFile().setExecutable(true)).isTrue();
      Files.writeString(
          fake.resolve("release"),
          "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + jdk.getKey() + "\"\nOS_NAME=\"Linux\"\n");
      Run run = run(Map.of("JAVA_HOME", fake.toString()), List.of("--version"));
      assertThat(run.exit()).isEqualTo(3);
      assertThat(run.err())
          .isEqualTo(
              "meshgate: JAVA_HOME=%s is Java '%s'; meshgate needs 21 or newer: point JAVA_HOME at a JDK 21+%n",
              fake, jdk.getValue());
    }
  }

  /**
   * {@code serve} on JDK 25+: the first run after a build records its own work, and once it has
   * stopped (SIGTERM, as systemd stops it) the launcher makes an AOT cache of it that the next
   * start maps; on an older JDK no serve cache at all. Nothing is left beside the cache, and the
   * recording run prints nothing to stdout (stderr is the server's log).
   */
  @Test
  void serveTrainsItsOwnCacheOnItsFirstRunAndStartsWithItAfter() throws Exception {
    for (Path old : serveCacheFiles()) {
      Files.delete(old);
    }
    Run training = serve(Map.of());
    assertThat(training.out()).as(training.err()).isEmpty();
    List<Path> made = serveCacheFiles();
    if (!AOT) {
      assertThat(made).as("no serve cache before JDK 25").isEmpty();
      return;
    }
    assertThat(made)
        .as("the cache alone, named by this build's fingerprint")
        .singleElement()
        .satisfies(
            p -> assertThat(p.getFileName().toString()).matches("meshgate-serve-[0-9]+\\.aot"));
    // What another build's cache and a killed training run leave is removed at the next start.
    Path target = ROOT.resolve("cli/target");
    for (String left :
        List.of(
            "meshgate-serve-0.aot",
            "meshgate-serve-0.aot.2147483647.conf",
            "meshgate-serve-0.aot.2147483647.tmp")) {
      Files.writeString(target.resolve(left), "left over");
    }
    // With the cache required, the server starts only if the launcher hands it over and the JVM
    // maps it.
    Run mapped = serve(Map.of("MESHGATE_JAVA_OPTS", ARCHIVE_REQUIRED));
    assertThat(mapped.err()).contains("meshgate: serving xDS on").contains("meshgate: stopped");
    assertThat(serveCacheFiles()).isEqualTo(made);
    // A cache the JVM cannot use (cut short) only costs time.
    Path cache = made.get(0);
    byte[] good = Files.readAllBytes(cache);
    try {
      Files.write(cache, java.util.Arrays.copyOf(good, good.length / 3));
      Run damaged = serve(Map.of());
      assertThat(damaged.out()).isEmpty();
      assertThat(damaged.err()).contains("meshgate: serving xDS on").contains("meshgate: stopped");
    } finally {
      Files.write(cache, good);
    }
  }

  @Test
  void aServeThatOnlyPrintsHelpOrFailsMakesNoCache() throws Exception {
    for (Path old : serveCacheFiles()) {
      Files.delete(old);
    }
    Run help = run(Map.of(), List.of("serve", "--help"));
    assertThat(help.exit()).as(help.err()).isZero();
    Run failed = run(Map.of(), List.of("serve", home.resolve("no-such-policy").toString()));
    assertThat(failed.exit()).as(failed.out()).isNotZero();
    assertThat(serveCacheFiles()).as("no cache, no recording left").isEmpty();
  }

  /** Starts {@code bin/meshgate serve} on the bundled example, waits until it serves, stops it. */
  private Run serve(Map<String, String> env) throws IOException, InterruptedException {
    int admin = FreePorts.next();
    List<String> command =
        List.of(
            ROOT.resolve("bin/meshgate").toString(),
            "serve",
            "--xds-port",
            Integer.toString(FreePorts.next()),
            "--admin-port",
            Integer.toString(admin),
            "--bind",
            "127.0.0.1",
            "--ca-dir",
            home.resolve("ca").toString(),
            "--drain-period",
            "1s",
            QUICKSTART);
    Path out = home.resolve("serve-out.txt");
    Path err = home.resolve("serve-err.txt");
    Process process = launch(command, home, env, out, err);
    try {
      Wait.until(
          Duration.ofMinutes(2),
          "bin/meshgate serve's /healthz",
          () -> {
            if (!process.isAlive()) {
              throw new ChildProcess.Died("bin/meshgate serve exited: " + read(err));
            }
            return Http.get("http://127.0.0.1:" + admin + "/healthz").statusCode() == 200;
          });
      process.destroy(); // SIGTERM to the launcher
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("stopped within 2 minutes").isTrue();
    } finally {
      process.destroyForcibly();
    }
    return new Run(process.exitValue(), read(out), read(err));
  }

  /** Starts {@code command} as a user would: this JDK, a fresh home, no cache or JVM options. */
  private Process launch(
      List<String> command, Path directory, Map<String, String> env, Path out, Path err)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("HOME", home.toString());
    builder.environment().remove("MESHGATE_CDS");
    builder.environment().remove("MESHGATE_JAVA_OPTS");
    builder.environment().putAll(env);
    return builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Path> serveCacheFiles() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("cli/target"))) {
      return files.filter(p -> p.getFileName().toString().startsWith("meshgate-serve-")).toList();
    }
  }

  private static List<Path> archives() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("cli/target"))) {
      return files.filter(p -> p.getFileName().toString().matches(ARCHIVE)).toList();
    }
  }

  private static Path jar() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("cli/target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("meshgate-cli-.*[0-9T]\\.jar"))
          .findFirst()
          .orElseThrow();
    }
  }

  private Run run(Map<String, String> env, List<String> args)
      throws IOException, InterruptedException {
    return run(ROOT.resolve("bin/meshgate"), env, args);
  }

  private Run run(Path launcher, Map<String, String> env, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = Stream.concat(Stream.of(launcher.toString()), args.stream()).toList();
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    Process process = launch(command, ROOT, env, out, err);
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("bin/meshgate " + args + " did not finish in 3 minutes");
    }
    return new Run(process.exitValue(), read(out), read(err));
  }
}
