package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.discovery.StaticCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9.2: an empty policy (truncated file, only a comment, the last file deleted) compiles to no
 * proxy group; the reload is held like a broken one and restoring the file serves again.
 */
class EmptyReloadTest {
  static final String POLICY = "gateway edge 8080 2\nendpoint 127.0.0.1 9101 v1\n";

  @TempDir Path dir;
  @TempDir Path caDir;
  MeshgateServer server;
  Admin admin;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  void start(RemovalGuard guard) throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), POLICY);
    var catalog = new StaticCatalog();
    server =
        MeshgateServer.start(
            ServerOptions.loopback(List.of(dir), caDir)
                .withReloadDebounce(Duration.ofMillis(50))
                .withRemovalGuard(guard),
            catalog,
            Fixtures.FAKE_COMPILER,
            catalog);
    admin = new Admin(server.adminPort());
  }

  @Test
  void truncatedCommentOnlyAndDeletedPoliciesAreHeldAndRestoringServesAgain() throws Exception {
    start(RemovalGuard.DEFAULT);
    String version = admin.status().at("/policy/version").asText();
    Path file = dir.resolve("policy.mesh");
    int held = 0;
    for (Runnable emptying :
        List.<Runnable>of(
            () -> write(file, ""), () -> write(file, "# nothing here yet\n"), () -> delete(file))) {
      emptying.run();
      held++;
      int expected = held;
      JsonNode status =
          admin.awaitStatus(s ->
              s.at("/policy/lastReload/held").asBoolean()
                  && metric("meshgate_policy_reloads_held_total") == expected);
      assertThat(status.at("/policy/lastReload/ok").asBoolean()).isFalse();
      assertThat(status.at("/policy/lastReload/error").asText())
          .startsWith("held: the new policy has no gateway or sidecar");
      assertThat(status.at("/policy/version").asText()).as("still served").isEqualTo(version);
      assertThat(status.get("groups")).hasSize(1);
      assertThat(metric("meshgate_policy_held")).isEqualTo(1.0);

      write(file, POLICY);
      status = admin.awaitStatus(s -> s.at("/policy/lastReload/ok").asBoolean());
      assertThat(status.at("/policy/lastReload/held").asBoolean()).isFalse();
      assertThat(status.at("/policy/version").asText()).isEqualTo(version);
      assertThat(metric("meshgate_policy_held")).isZero();
    }
  }

  @Test
  void allowRemovalServesTheEmptyPolicy() throws Exception {
    start(new RemovalGuard(RemovalGuard.DEFAULT_MAX_REMOVED_SHARE, true));
    write(dir.resolve("policy.mesh"), "");
    JsonNode status = admin.awaitStatus(s -> s.get("groups").isEmpty());
    assertThat(status.at("/policy/lastReload/ok").asBoolean()).isTrue();
  }

  private double metric(String name) {
    try {
      return admin.metric(name, "");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.delete(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
