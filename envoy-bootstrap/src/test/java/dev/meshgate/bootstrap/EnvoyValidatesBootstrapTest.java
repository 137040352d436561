package dev.meshgate.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real Envoy must accept every bootstrap we write (`envoy --mode validate`). */
class EnvoyValidatesBootstrapTest {

  private static Path envoy;

  @BeforeAll
  static void findEnvoy() {
    envoy = RequiredEnvoy.path();
  }

  @ParameterizedTest
  @EnumSource(XdsTransport.class)
  void envoyAcceptsTheGatewayBootstrap(XdsTransport transport, @TempDir Path dir)
      throws IOException, InterruptedException {
    validate(dir, EnvoyBootstrap.gateway("edge", "edge-test", "127.0.0.1", 18000, 9901, transport));
    validate(dir, EnvoyBootstrap.gateway("edge", "edge-test", "localhost", 18000, 9901, transport));
  }

  @ParameterizedTest
  @EnumSource(ProxyRole.class)
  void envoyAcceptsTheStatsListenerAndTags(ProxyRole role, @TempDir Path dir)
      throws IOException, InterruptedException {
    BootstrapOptions options =
        role == ProxyRole.GATEWAY
            ? BootstrapOptions.gateway("edge", "edge-test", "127.0.0.1", 18000, 9901)
            : BootstrapOptions.sidecar("orders", "orders-test", "127.0.0.1", 18000, 9901);
    validate(
        dir,
        EnvoyBootstrap.render(
            options.withStats(new StatsEndpoint("0.0.0.0", StatsEndpoint.DEFAULT_PORT))));
  }

  private static void validate(Path dir, String yaml) throws IOException, InterruptedException {
    Path config = Files.createTempFile(dir, "bootstrap", ".yaml");
    Files.writeString(config, yaml);
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
                    Long.toString(ProcessHandle.current().pid() % 10_000 + 40_000)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("envoy --mode validate did not finish in 60s");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue())
        .as("envoy --mode validate output:%n%s%nconfig:%n%s", output, yaml)
        .isZero();
    assertThat(output).contains("OK");
  }
}
