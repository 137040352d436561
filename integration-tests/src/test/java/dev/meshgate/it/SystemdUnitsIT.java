package dev.meshgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units in deploy/systemd: {@code systemd-analyze verify} accepts them (with the
 * install paths pointed at this checkout's bin/meshgate and the test Envoy, since verify checks
 * that every command exists), every {@code meshgate} command line in them parses as the real CLI's,
 * every Envoy flag is one the real Envoy lists, and the hardening and stop settings are there.
 */
class SystemdUnitsIT {
  private static final Path UNITS = ProjectRoot.get().resolve("deploy/systemd");
  private static final String MESHGATE = "/opt/meshgate/bin/meshgate";
  private static final String ENVOY = "/usr/local/bin/envoy";

  @Test
  void systemdAnalyzeVerifiesTheUnits(@TempDir Path dir) throws IOException {
    Path analyze =
        Tools.required(
            "systemd-analyze", "install systemd (the package that ships systemd-analyze)");
    Path root = ProjectRoot.get();
    for (String unit : List.of("meshgate.service", "envoy-sidecar@.service")) {
      String text =
          Files.readString(UNITS.resolve(unit))
              .replace(MESHGATE, root.resolve("bin/meshgate").toString())
              .replace(ENVOY, RequiredEnvoy.path().toAbsolutePath().toString());
      // A template is verified through an instance of it.
      Files.writeString(dir.resolve(unit.replace("@.", "@catalog.")), text);
    }
    List<String> command =
        List.of(
            analyze.toString(),
            "verify",
            dir.resolve("meshgate.service").toString(),
            dir.resolve("envoy-sidecar@catalog.service").toString());
    Tools.Result result = Tools.run(dir, command).requireOk(command);
    assertEquals("", result.out() + result.err(), "systemd-analyze verify has no complaint");
  }

  @Test
  void theServerUnitRunsRealServeFlagsHardenedAndDrainsBeforeItIsKilled() throws IOException {
    Map<String, List<String>> unit = parse(UNITS.resolve("meshgate.service"));
    List<String> exec = words(one(unit, "ExecStart"));
    assertEquals(MESHGATE, exec.get(0));
    List<String> args = exec.subList(1, exec.size());
    HelmChartIT.serveParses(args);
    assertTrue(args.contains("--ca-dir"), args.toString());
    String caDir = args.get(args.indexOf("--ca-dir") + 1);
    assertTrue(
        caDir.startsWith(one(unit, "ReadWritePaths") + "/"),
        "the CA directory is writable: " + caDir);
    // bin/meshgate keeps serve's AOT cache under XDG_CACHE_HOME, which must be writable (/opt is
    // not).
    String cacheHome =
        unit.get("Environment").stream()
            .filter(e -> e.startsWith("XDG_CACHE_HOME="))
            .findFirst()
            .orElseThrow()
            .substring("XDG_CACHE_HOME=".length());
    assertTrue(
        cacheHome.startsWith(one(unit, "ReadWritePaths") + "/"),
        "the launcher's cache directory is writable: " + cacheHome);
    long drain = seconds(args.get(args.indexOf("--drain-period") + 1));
    assertTrue(seconds(one(unit, "TimeoutStopSec")) > drain, "TimeoutStopSec above the drain");
    assertEquals("SIGTERM", one(unit, "KillSignal"));
    assertEquals("on-failure", one(unit, "Restart"));
    assertEquals("meshgate", one(unit, "User"));
    assertEquals("yes", one(unit, "NoNewPrivileges"));
    assertEquals("strict", one(unit, "ProtectSystem"));
    assertEquals("yes", one(unit, "ProtectHome"));
    assertEquals("yes", one(unit, "PrivateTmp"));
    assertEquals("AF_UNIX AF_INET AF_INET6", one(unit, "RestrictAddressFamilies"));
  }

  @Test
  void theSidecarUnitBootstrapsWithRealFlagsAndRunsEnvoyWithRealFlags() throws IOException {
    Map<String, List<String>> unit = parse(UNITS.resolve("envoy-sidecar@.service"));
    List<String> bootstrap = words(unit.get("ExecStartPre").get(0));
    assertEquals(MESHGATE, bootstrap.get(0));
    assertEquals("bootstrap", bootstrap.get(1));
    List<String> bootstrapArgs = bootstrap.subList(2, bootstrap.size());
    HelmChartIT.parses(bootstrap.subList(1, bootstrap.size()));
    String written = bootstrapArgs.get(bootstrapArgs.indexOf("--output") + 1);

    List<String> envoy = words(one(unit, "ExecStart"));
    assertEquals(ENVOY, envoy.get(0));
    assertEquals(written, envoy.get(envoy.indexOf("--config-path") + 1));
    List<String> help = List.of(RequiredEnvoy.path().toString(), "--help");
    Tools.Result envoyHelp = Tools.run(ProjectRoot.get(), help);
    String listed = envoyHelp.out() + envoyHelp.err();
    for (String word : envoy) {
      if (word.startsWith("--")) {
        // `envoy --help` describes each flag on a line of its own: "   [-c <string>,  ]--flag".
        Pattern described =
            Pattern.compile("(?m)^\\s+(-\\w <\\w+>,\\s+)?" + Pattern.quote(word) + "(\\s|$)");
        assertTrue(described.matcher(listed).find(), "envoy has no flag " + word);
      }
    }
    assertEquals("envoy", one(unit, "User"));
    assertEquals("yes", one(unit, "NoNewPrivileges"));
    assertEquals("strict", one(unit, "ProtectSystem"));
    assertEquals("on-failure", one(unit, "Restart"));
  }

  /** Directive name to its values, continuation lines joined, comments dropped. */
  private static Map<String, List<String>> parse(Path file) throws IOException {
    Map<String, List<String>> directives = new LinkedHashMap<>();
    String joined = Files.readString(file).replaceAll("\\\\\n\\s*", " ");
    for (String line : joined.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("[")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      assertTrue(eq > 0, "not a directive: " + trimmed);
      directives
          .computeIfAbsent(trimmed.substring(0, eq), k -> new ArrayList<>())
          .add(trimmed.substring(eq + 1));
    }
    return directives;
  }

  private static String one(Map<String, List<String>> unit, String name) {
    List<String> values = unit.getOrDefault(name, List.of());
    assertEquals(1, values.size(), name + " once in " + unit.keySet());
    return values.get(0);
  }

  private static final Pattern BRACED = Pattern.compile("\\$\\{([A-Z_]+)}");

  /**
   * A command line's words as systemd gives them to the program: the {@code +-@!:} prefixes off,
   * {@code %i} the instance "catalog", a {@code ${VAR}} a sample value, a bare {@code $VAR} (a list
   * of extra options) dropped.
   */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    for (String word : line.strip().replaceFirst("^[-+@!:]+", "").split("\\s+")) {
      if (word.matches("\\$[A-Z_]+")) {
        continue;
      }
      Matcher m = BRACED.matcher(word.replace("%i", "catalog"));
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, m.group(1).endsWith("PORT") ? "9901" : "127.0.0.1:18000");
      }
      m.appendTail(out);
      words.add(out.toString());
    }
    return words;
  }

  private static long seconds(String duration) {
    assertTrue(duration.matches("\\d+s"), "a duration in seconds: " + duration);
    return Long.parseLong(duration.substring(0, duration.length() - 1));
  }
}
