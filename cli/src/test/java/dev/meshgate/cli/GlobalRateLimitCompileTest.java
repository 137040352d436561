package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * global rate limits (issue 13): {@code meshgate compile --out-dir OUT} writes the rate-limit
 * service's configuration beside the Envoy resources, and {@code serve} knows {@code
 * --ratelimit-config}.
 */
class GlobalRateLimitCompileTest {
  @TempDir Path dir;

  @Test
  void compileWritesTheRateLimitServicesFileOfEachGatewayWithGlobalLimits() throws IOException {
    Path policy = dir.resolve("p/edge.mesh");
    Files.createDirectories(policy.getParent());
    Files.writeString(
        policy,
        """
        service echo { source static 127.0.0.1:9101 }
        gateway edge {
          listen :8080
          rate-limit service "127.0.0.1:8081"
          host "*" { route /** { to echo  rate-limit 10 per 1m global by client-ip } }
        }
        """);
    Path out = dir.resolve("out");

    Cli.Result r = Cli.run("compile", policy.getParent().toString(), "--out-dir", out.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    Path file = out.resolve("ratelimit/edge.yaml");
    assertThat(r.out()).isEqualTo(out.resolve("gateway-edge.json") + "\n" + file + "\n");
    assertThat(Files.readString(file))
        .contains("domain: edge")
        .contains("key: remote_address")
        .contains("requests_per_unit: 10")
        .endsWith("\n");
  }

  @Test
  void serveDocumentsTheOption() {
    Cli.Result r = Cli.run("serve", "--help");
    assertThat(r.out()).contains("--ratelimit-config=DIR");
  }
}
