package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** global rate limits (issue 13): what {@code serve --ratelimit-config DIR} leaves in DIR. */
class RateLimitConfigWriterTest {
  @TempDir Path work;

  private static CompiledPolicy policy(String gateways) {
    var compilation =
        Compiler.compile(
            List.of(
                new Source(
                    "p.mesh", "service echo { source static 127.0.0.1:9101 }\n" + gateways)));
    assertThat(compilation.hasErrors()).as("%s", compilation.diagnostics()).isFalse();
    return compilation.policy().orElseThrow();
  }

  private static String gateway(String name, int port, String limit) {
    return "gateway "
        + name
        + " {\n  listen :"
        + port
        + "\n  rate-limit service \"127.0.0.1:8081\"\n  host \"*\" { route /** { to echo  rate-limit "
        + limit
        + " } }\n}\n";
  }

  @Test
  void writesOneFilePerGatewayWithGlobalLimitsAndRemovesOnlyItsOwnStaleOnes() throws IOException {
    Path dir = work.resolve("runtime/current/config");
    RateLimitConfigWriter writer = new RateLimitConfigWriter(dir);

    writer.write(
        policy(
            gateway("edge", 8080, "5 per 1m global") + gateway("admin", 8081, "1 per 1s global")));
    assertThat(names(dir)).containsExactly("admin.yaml", "edge.yaml");
    assertThat(Files.readString(dir.resolve("edge.yaml")))
        .contains("domain: edge")
        .contains("value: '*/1'")
        .contains("unit: minute")
        .contains("requests_per_unit: 5");

    // Someone else's file stays; an unchanged file is not rewritten (no needless reload).
    Files.writeString(dir.resolve("other.yaml"), "domain: other\n");
    FileTime edgeWritten = FileTime.fromMillis(1_000);
    Files.setLastModifiedTime(dir.resolve("edge.yaml"), edgeWritten);

    writer.write(
        policy(gateway("edge", 8080, "5 per 1m global") + gateway("admin", 8081, "1 per 1s")));

    assertThat(names(dir)).containsExactly("edge.yaml", "other.yaml");
    assertThat(Files.getLastModifiedTime(dir.resolve("edge.yaml"))).isEqualTo(edgeWritten);
    // No temporary file is left behind, in DIR or beside it.
    assertThat(names(dir.getParent())).containsExactly("config");
  }

  @Test
  void aChangedLimitRewritesTheFile() throws IOException {
    Path dir = work.resolve("config");
    RateLimitConfigWriter writer = new RateLimitConfigWriter(dir);
    writer.write(policy(gateway("edge", 8080, "5 per 1m global")));
    writer.write(policy(gateway("edge", 8080, "7 per 1h global")));
    assertThat(Files.readString(dir.resolve("edge.yaml")))
        .contains("unit: hour")
        .contains("requests_per_unit: 7");
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
