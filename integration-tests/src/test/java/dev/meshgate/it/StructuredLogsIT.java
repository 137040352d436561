package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshgate serve --log-format json}: one JSON object per line, and one policy change told
 * from reload to push to ACK (or NACK) under its policy version, for a real Envoy, so {@code jq
 * 'select(.version=="…")'} shows the whole story (docs/operations.md, "my route does not work").
 */
@ExtendWith(PrintLogsOnFailure.class)
class StructuredLogsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GROUP = "gateway:edge";

  private static final String POLICY =
      """
      service web { source static ${web} }
      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          ${routes}
          route /** { to web }
        }
      }
      """;

  @TempDir static Path work;
  static Backend web;
  static MeshgateProcess meshgate;
  static EnvoyProcess envoy;

  @AfterAll
  static void stop() {
    Closer.closeAll(envoy, meshgate, web);
  }

  @Test
  void aChangeIsLoggedFromReloadToPushToAckAndANackUnderItsVersion() throws IOException {
    RequiredEnvoy.path();
    web = Backend.start("web");
    int port = FreePorts.next();
    Path policy = work.resolve("policy/policy.mesh");
    Policy.write(policy, render(port, ""));
    meshgate =
        MeshgateProcess.start(
            policy.getParent(), work, "--log-format", "json", "--log-level", "debug");
    envoy = GatewayStack.startEnvoy("edge", meshgate, work, 1);
    String node = envoy.nodeId();
    XdsStatus.awaitAllAcked(meshgate, node, GROUP, Duration.ofSeconds(20));
    String first = meshgate.status().at("/policy/version").asText();

    // A new route: only the routes change.
    Policy.replaceAtomically(policy, render(port, "route /new/** { respond 200 \"new\" }"));
    String second = awaitNewVersion(first);
    XdsStatus.awaitAllAcked(meshgate, node, GROUP, Duration.ofSeconds(20));
    assertThat(Http.get(envoyUrl(port, "/new/x")).body()).isEqualTo("new");

    find("the reload to " + second, l -> is(l, "reload", second) && text(l, "outcome", "ok"));
    find("the publish of " + GROUP, l -> is(l, "publish", second) && text(l, "group", GROUP));
    JsonNode push =
        find(
            "a routes push to " + node,
            l ->
                is(l, "push", second)
                    && text(l, "node", node)
                    && text(l, "group", GROUP)
                    && text(l, "type", "routes"));
    assertThat(push.path("level").asText()).isEqualTo("DEBUG");
    JsonNode ack =
        find(
            "the routes ACK of " + node,
            l ->
                is(l, "ack", second)
                    && text(l, "node", node)
                    && text(l, "group", GROUP)
                    && text(l, "type", "routes"));
    assertThat(ack.path("type_version").asText())
        .as("the ACKed version is the pushed one")
        .isEqualTo(push.path("type_version").asText())
        .isNotBlank();
    // At info level: one line once every proxy of the group has it.
    JsonNode sync =
        find(
            "the group in sync at " + second,
            l -> is(l, "sync", second) && text(l, "group", GROUP));
    assertThat(sync.path("level").asText()).isEqualTo("INFO");
    assertThat(sync.path("proxies").asInt()).isEqualTo(1);

    // A listener Envoy cannot bind (the port is held): Envoy NACKs it.
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int busy = taken.getLocalPort();
      Policy.replaceAtomically(
          policy,
          render(port, "").replace("gateway edge {", "gateway edge {\n  listen 127.0.0.1:" + busy));
      String third = awaitNewVersion(second);
      JsonNode nack =
          Wait.until(
              Duration.ofSeconds(20),
              "a NACK line for " + third,
              () ->
                  lines().stream()
                      .filter(l -> is(l, "nack", third) && text(l, "node", node))
                      .findFirst());
      assertThat(nack.path("level").asText()).isEqualTo("WARN");
      assertThat(nack.path("group").asText()).isEqualTo(GROUP);
      assertThat(nack.path("type").asText()).isEqualTo("listeners");
      assertThat(nack.path("error").asText()).contains(Integer.toString(busy));
      find("the reload to " + third, l -> is(l, "reload", third));
      // Envoy keeps the last listener it accepted and serves on.
      assertThat(Http.get(envoyUrl(port, "/")).statusCode()).isEqualTo(200);
    }

    // Everything on stderr is JSON (the JVM's own warnings aside), and no key material.
    String log = meshgate.logText();
    assertThat(log).doesNotContain("PRIVATE KEY").doesNotContain("meshgate: serving xDS");
  }

  private static String render(int port, String routes) {
    return Policy.render(POLICY, Map.of("web", web.address(), "port", port, "routes", routes));
  }

  private static String envoyUrl(int port, String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static String awaitNewVersion(String old) {
    return Wait.until(
        Duration.ofSeconds(20),
        "a policy version other than " + old + " in /status",
        () -> {
          String now = meshgate.status().at("/policy/version").asText();
          return now.equals(old) ? Optional.empty() : Optional.of(now);
        });
  }

  /** The line {@code what} describes; polled, since a log line may trail the /status change. */
  private static JsonNode find(String what, Predicate<JsonNode> line) {
    return Wait.until(
        Duration.ofSeconds(10),
        what + " in the JSON log",
        () -> lines().stream().filter(line).findFirst());
  }

  private static boolean is(JsonNode line, String event, String version) {
    return text(line, "event", event) && text(line, "version", version);
  }

  private static boolean text(JsonNode line, String field, String value) {
    return line.path(field).asText().equals(value);
  }

  /**
   * The server's log lines, each parsed as one JSON object. Lines that do not start with "{" are
   * the JVM's own warnings, written before logging starts.
   */
  private static List<JsonNode> lines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : meshgate.logText().split("\n")) {
      if (line.startsWith("{")) {
        try {
          JsonNode node = JSON.readTree(line);
          assertThat(node).as(line).isInstanceOf(ObjectNode.class);
          assertThat(node.path("@timestamp").asText()).as(line).isNotBlank();
          assertThat(node.path("message").asText()).as(line).isNotBlank();
          lines.add(node);
        } catch (IOException e) {
          // The last line may be half written: only a complete line must parse.
          if (meshgate.logText().contains(line + "\n")) {
            throw new AssertionError("not one JSON object: " + line, e);
          }
        }
      }
    }
    return lines;
  }
}
