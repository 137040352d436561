package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy from a bundle ({@code serve --bundle}): the server starts on one unpacked directory,
 * names files relative to it, does not watch it, and {@link MeshgateServer#replacePolicy} switches
 * to another directory only when that one compiles; a rejected bundle is shown in /status.
 */
class ReplacePolicyTest {
  static final String POLICY =
      """
      service catalog { source static 127.0.0.1:9101 }
      service orders { source static 127.0.0.1:9102 }
      gateway edge {
        listen :8080
        host "*" { route /** { to %s } }
      }
      """;

  @TempDir Path dir;
  @TempDir Path caDir;
  MeshgateServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path generation(String name, String text) throws Exception {
    Path root = dir.resolve(name);
    Files.createDirectories(root.resolve("teams"));
    Files.writeString(root.resolve("teams/edge.mesh"), text);
    return root;
  }

  @Test
  void aNewDirectoryIsServedOnlyWhenItCompilesAndFilesAreNamedWithinIt() throws Exception {
    Path first = generation("gen-1", POLICY.formatted("catalog"));
    server =
        MeshgateServer.startUnwatched(
            ServerOptions.loopback(List.of(first), caDir), DiscoveryOptions.staticOnly());
    Admin admin = new Admin(server.adminPort());
    String v1 = server.policyVersion();

    // Not watched: editing the served directory changes nothing.
    Files.writeString(first.resolve("teams/edge.mesh"), "broken {");
    Thread.sleep(300);
    assertThat(admin.status().at("/policy/lastReload/ok").asBoolean()).isTrue();

    MeshgateServer.PolicyUpdate broken = server.replacePolicy(generation("gen-2", "gateway {"));
    assertThat(broken.served()).isFalse();
    assertThat(broken.policyVersion()).isEqualTo(v1);
    assertThat(broken.reason().orElseThrow())
        .matches("\\d+ error\\(s\\), the first: .*teams/edge.mesh:1:.*");
    JsonNode status = admin.status();
    assertThat(status.at("/policy/lastReload/ok").asBoolean()).isFalse();
    assertThat(status.at("/policy/lastReload/diagnostics/0/file").asText())
        .isEqualTo("teams/edge.mesh");
    assertThat(status.at("/policy/version").asText()).isEqualTo(v1);

    MeshgateServer.PolicyUpdate next =
        server.replacePolicy(generation("gen-3", POLICY.formatted("orders")));
    assertThat(next)
        .isEqualTo(new MeshgateServer.PolicyUpdate(true, next.policyVersion(), Optional.empty()));
    assertThat(next.policyVersion()).isNotEqualTo(v1);
    assertThat(admin.status().at("/policy/lastReload/ok").asBoolean()).isTrue();

    server.rejectPolicy("bundle b.zip rejected: tampered");
    status = admin.status();
    assertThat(status.at("/policy/lastReload/ok").asBoolean()).isFalse();
    assertThat(status.at("/policy/lastReload/error").asText())
        .isEqualTo("bundle b.zip rejected: tampered");
    assertThat(status.at("/policy/version").asText()).isEqualTo(next.policyVersion());
  }
}
