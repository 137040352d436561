package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Envoy accepts what `meshgate bootstrap` prints with real credentials (`envoy --mode
 * validate`).
 */
class EnvoyValidatesTlsBootstrapTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"--gateway=edge", "--sidecar=orders"})
  void envoyAcceptsTheMutualTlsBootstrap(String target) throws Exception {
    Path envoy = RequiredEnvoy.path();

    Path config = dir.resolve("bootstrap.yaml");
    assertThat(Cli.run("ca", "init", "--ca-dir", dir.resolve("ca").toString()).exitCode()).isZero();
    Cli.Result r =
        Cli.run(
            "bootstrap",
            target,
            "--ca-dir",
            dir.resolve("ca").toString(),
            "--xds",
            "localhost:18000",
            "--output",
            config.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path log = dir.resolve("envoy.log");
    Process p =
        new ProcessBuilder(
                List.of(
                    envoy.toString(),
                    "--mode",
                    "validate",
                    "-c",
                    config.toString(),
                    "--base-id",
                    Long.toString(ProcessHandle.current().pid() % 10_000 + 50_000)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("envoy --mode validate did not finish in 60s");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("envoy --mode validate output:%n%s", output).isZero();
    assertThat(output).contains("OK");
  }
}
