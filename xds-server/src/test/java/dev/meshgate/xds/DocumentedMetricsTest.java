package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every control-plane metric the README and docs name is one the server exports: a renamed or
 * dropped metric breaks a dashboard silently, so the docs are checked against a running server.
 */
class DocumentedMetricsTest {
  private static final Pattern METRIC = Pattern.compile("\\bmeshgate_[a-z][a-z0-9_]*[a-z0-9]");

  /**
   * Names the docs use for the proxies' side, not the server's metrics: the stats tag every Envoy
   * stat carries, and the bootstrap's stats listener and static clusters.
   */
  private static final Set<String> DATA_PLANE_NAMES =
      Set.of(
          "meshgate_group", "meshgate_route", "meshgate_stats", "meshgate_admin", "meshgate_xds");

  private final MeshgateServerTest harness = new MeshgateServerTest();
  @TempDir Path policyDir;
  @TempDir Path caDir;

  @AfterEach
  void stop() {
    harness.stop();
  }

  @Test
  void everyMetricNamedInTheDocsIsExported() throws Exception {
    Set<String> documented = documentedMetrics();
    assertThat(documented)
        .as("metric names found in README.md and docs/*.md")
        .hasSizeGreaterThan(5);

    harness.dir = policyDir;
    harness.caDir = caDir;
    harness.start(MeshgateServerTest.POLICY);
    String exposition = harness.admin.request("GET", "/metrics").body();
    Set<String> exported = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }

    assertThat(exported).as("metrics exported on /metrics").containsAll(documented);
  }

  private static Set<String> documentedMetrics() throws IOException {
    Path root = Path.of(System.getProperty("meshgate.project.root", ".."));
    Set<String> names = new TreeSet<>();
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      Stream.concat(Stream.of(root.resolve("README.md")), docs)
          .filter(p -> p.toString().endsWith(".md"))
          .forEach(p -> collect(p, names));
    }
    return names;
  }

  private static void collect(Path file, Set<String> names) {
    try {
      Matcher m = METRIC.matcher(Files.readString(file));
      while (m.find()) {
        if (!DATA_PLANE_NAMES.contains(m.group())) {
          names.add(m.group());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
