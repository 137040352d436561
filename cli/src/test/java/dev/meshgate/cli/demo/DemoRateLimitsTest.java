package dev.meshgate.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ir.PolicyIr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRateLimitsTest {
  private static PolicyIr compile(String gatewayLines) {
    String text =
        "service s { source static 127.0.0.1:9109 }\n"
            + "gateway edge {\n  listen 127.0.0.1:10000\n"
            + gatewayLines
            + "  host \"api.example\" { route /** { to s  rate-limit 5 per 1m"
            + (gatewayLines.isEmpty() ? "" : " global")
            + " } }\n}\n";
    return Compiler.compile(List.of(new Source("t.mesh", text))).policy().orElseThrow().ir();
  }

  @Test
  void aGatewayWithGlobalLimitsIsToldTheServiceIsNotStartedAndHowToRunIt(@TempDir Path root)
      throws Exception {
    Path bin = Files.createDirectories(root.resolve(".tools/bin"));
    for (String tool : List.of("redis-server", "ratelimit")) {
      Files.createFile(bin.resolve(tool)).toFile().setExecutable(true);
    }
    List<String> notes =
        DemoRateLimits.notes(
            compile("  rate-limit service \"127.0.0.1:8081\" fail-closed\n"), Optional.of(root));

    assertThat(notes).hasSize(2);
    assertThat(notes.getFirst())
        .isEqualTo(
            "meshgate: demo: gateway edge's global rate limits ask the rate-limit service at"
                + " 127.0.0.1:8081, which the demo does not start: until one answers there, those"
                + " routes answer 500 (fail-closed).");
    assertThat(notes.get(1))
        .startsWith("  To run it: both are in " + bin + "; ")
        .contains("GRPC_PORT=8081 ")
        .contains("--ratelimit-config DIR/current/config");
  }

  @Test
  void withoutTheToolsItSaysHowToInstallThem(@TempDir Path root) {
    List<String> notes =
        DemoRateLimits.notes(
            compile("  rate-limit service \"127.0.0.1:8081\"\n"), Optional.of(root));

    assertThat(notes.getFirst()).endsWith("their requests pass unlimited (fail-open).");
    assertThat(notes.get(1))
        .startsWith(
            "  To run it: install them with scripts/install-redis.sh and"
                + " scripts/install-ratelimit.sh (into .tools/bin);");
  }

  @Test
  void onlyLocalLimitsNeedNothing() {
    assertThat(DemoRateLimits.notes(compile(""), Optional.empty())).isEmpty();
  }
}
