package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Editing the policy of a running server: the change reaches the same Envoy (no restart, no
 * reconnect) within 2 s, untouched routes serve every request meanwhile, and a broken edit keeps
 * the last good config serving while /status says why. The methods run in order, each starting from
 * the policy the previous one left.
 */
@ExtendWith(PrintLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotReloadIT {
  private static final Duration APPLY_WITHIN = Duration.ofSeconds(2);
  private static final Duration TRAFFIC_INTERVAL = Duration.ofMillis(20);

  private static final String POLICY =
      """
      service stable { source static ${stable} }
      service a { source static ${a} }
      service b { source static ${b} }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /stable/** { to stable }
          route /moving/** { to ${target} }
        }
      }
      """;

  @TempDir static Path work;
  static Backend stable;
  static Backend a;
  static Backend b;
  static int port;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    stable = Backend.start("stable");
    a = Backend.start("a");
    b = Backend.start("b");
    port = FreePorts.next();
    stack = GatewayStack.start(work, "edge", port, policy("a"));
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, stable, a, b);
  }

  @Test
  @Order(1)
  void changeAppliesToTheRunningEnvoyWithoutDisturbingOtherRoutes() {
    assertThat(servedBy("/moving/x")).isEqualTo("a");
    long pid = stack.envoy().pid();
    Duration uptime = stack.envoy().uptime();
    JsonNode before = stack.meshgate().status();
    String connectedAt = proxy(before).orElseThrow().path("connectedAt").asText();

    try (Traffic traffic = Traffic.start(stack.url("/stable/x"), "stable", TRAFFIC_INTERVAL)) {
      Wait.sleep(Duration.ofMillis(300)); // some traffic before the change, too
      long written = System.nanoTime();
      stack.updatePolicy(policy("b"));
      Wait.until(
          APPLY_WITHIN,
          "/moving served by b after the edit",
          () -> servedBy("/moving/x").equals("b"));
      System.out.printf(
          "HotReloadIT: change applied %d ms after the write%n",
          (System.nanoTime() - written) / 1_000_000);
      Wait.sleep(Duration.ofMillis(500)); // and some traffic after it
      traffic.stop();
      assertThat(traffic.failures()).as("failed requests on the unchanged route").isEmpty();
      assertThat(traffic.succeeded()).as("requests served during the change").isGreaterThan(10);
    }

    // Same Envoy process, same xDS stream: nothing restarted or reconnected.
    assertThat(stack.envoy().isAlive()).isTrue();
    assertThat(stack.envoy().pid()).isEqualTo(pid);
    // Uptime counts whole seconds, so a quick change may leave it where it was; a restart would
    // have reset it.
    assertThat(stack.envoy().uptime()).as("Envoy uptime").isGreaterThanOrEqualTo(uptime);
    assertThat(
            stack.envoy().serverInfo().path("command_line_options").path("restart_epoch").asInt())
        .as("hot restart epoch")
        .isZero();
    JsonNode after = stack.meshgate().status();
    assertThat(proxy(after)).as("proxy %s in /status", stack.envoy().nodeId()).isPresent();
    assertThat(proxy(after).orElseThrow().path("connectedAt").asText()).isEqualTo(connectedAt);
    assertThat(after.at("/policy/lastReload/ok").asBoolean()).isTrue();
    assertThat(after.at("/policy/version").asText())
        .isNotEqualTo(before.at("/policy/version").asText());
  }

  @Test
  @Order(2)
  void brokenPolicyKeepsTheLastGoodConfigAndSaysWhy() {
    assertThat(servedBy("/moving/x")).isEqualTo("b");
    String goodVersion = stack.meshgate().status().at("/policy/version").asText();

    try (Traffic traffic = Traffic.start(stack.url("/stable/x"), "stable", TRAFFIC_INTERVAL)) {
      stack.updatePolicy(policy("nowhere")); // an unknown service: a compile error
      // The file is rewritten in place, as many editors save: a reload may first see it empty
      // or half written (held, or other errors) before the one of the whole file reports this.
      JsonNode status =
          Wait.until(
              Duration.ofSeconds(5),
              "/status to report the failed reload of the whole file",
              () -> {
                JsonNode s = stack.meshgate().status();
                return s.at("/policy/lastReload/ok").asBoolean(true)
                        || !s.at("/policy/lastReload/diagnostics").toString().contains("nowhere")
                    ? Optional.empty()
                    : Optional.of(s);
              });
      JsonNode diagnostics = status.at("/policy/lastReload/diagnostics");
      assertThat(diagnostics.isArray() && !diagnostics.isEmpty())
          .as("diagnostics in %s", status)
          .isTrue();
      JsonNode first = diagnostics.get(0);
      assertThat(first.path("severity").asText()).isEqualToIgnoringCase("error");
      assertThat(first.path("code").asText()).matches("MG[0-9]{3}");
      assertThat(first.path("file").asText()).endsWith("policy.mesh");
      assertThat(first.path("line").asInt()).isEqualTo(9); // route /moving/** { to nowhere }
      assertThat(first.path("message").asText()).contains("nowhere");
      assertThat(first.path("rendered").asText()).contains("nowhere");
      assertThat(status.at("/policy/version").asText())
          .as("the served version")
          .isEqualTo(goodVersion);

      // The last good config keeps serving.
      long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < until) {
        assertThat(servedBy("/moving/x")).isEqualTo("b");
        Wait.sleep(Duration.ofMillis(100));
      }
      traffic.stop();
      assertThat(traffic.failures()).as("failed requests on the unchanged route").isEmpty();
    }
    assertThat(stack.meshgate().metrics()).contains("meshgate_policy_compiles_total");
  }

  @Test
  @Order(3)
  void fixedPolicyAppliesAgain() {
    // Saved by renaming a new file over the old one this time, as many editors do.
    stack.replacePolicy(policy("a"));
    Wait.until(
        APPLY_WITHIN, "/moving served by a after the fix", () -> servedBy("/moving/x").equals("a"));
    JsonNode status =
        Wait.until(
            Duration.ofSeconds(2),
            "/status to report the good reload",
            () -> {
              JsonNode s = stack.meshgate().status();
              return s.at("/policy/lastReload/ok").asBoolean(false)
                  ? Optional.of(s)
                  : Optional.empty();
            });
    // The policy leaves service b unused while it is not the target (warning MG720); a good
    // reload may carry warnings, never errors.
    assertThat(status.at("/policy/lastReload/diagnostics"))
        .extracting(d -> d.path("severity").asText())
        .doesNotContain("error");
    assertThat(proxy(status)).isPresent();
    assertThat(stack.envoy().isAlive()).isTrue();
  }

  private static String policy(String target) {
    return Policy.render(
        POLICY,
        Map.of(
            "stable",
            stable.address(),
            "a",
            a.address(),
            "b",
            b.address(),
            "port",
            port,
            "target",
            target));
  }

  private static String servedBy(String path) {
    HttpResponse<String> response = Http.get(stack.url(path));
    assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
    return Http.json(response).path("backend").asText();
  }

  private static Optional<JsonNode> proxy(JsonNode status) {
    return StreamSupport.stream(status.path("proxies").spliterator(), false)
        .filter(p -> p.path("id").asText().equals(stack.envoy().nodeId()))
        .findFirst();
  }
}
