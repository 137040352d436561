package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.2: a rolling restart of two replicas under traffic. Each replica in turn gets SIGTERM
 * (what Kubernetes sends), ends its xDS streams one at a time over its drain period and exits; its
 * Envoys reconnect to the other replica spread over that period, apply nothing new and drop no
 * request; the replica is started again before the other one goes.
 */
@ExtendWith(PrintLogsOnFailure.class)
class RollingRestartIT {
  private static final String DRAIN = "2s";
  private static final int ENVOYS = 3;
  private static final String POLICY =
      """
      service catalog { source static ${catalog} }
      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /catalog/** { to catalog }
        }
      }
      """;

  @TempDir static Path work;
  static Backend catalog;
  static int port;
  static Path policy;
  static final List<MeshgateProcess> servers = new ArrayList<>();
  static final List<EnvoyProcess> envoys = new ArrayList<>();

  @BeforeAll
  static void start() {
    catalog = Backend.start("catalog");
    port = FreePorts.next();
    policy =
        Policy.write(
            work.resolve("policy/policy.mesh"),
            Policy.render(POLICY, Map.of("catalog", catalog.address(), "port", port)));
    MeshgateProcess first =
        MeshgateProcess.start(policy.getParent(), work, "--drain-period", DRAIN);
    servers.add(first);
    MeshgateProcess second =
        MeshgateProcess.startReplica(first, policy.getParent(), "--drain-period", DRAIN);
    servers.add(second);
    for (int i = 0; i < ENVOYS; i++) {
      envoys.add(Replicas.gatewayOfBoth("edge", first, second, work));
    }
  }

  @AfterAll
  static void stop() {
    List<AutoCloseable> all = new ArrayList<>(envoys);
    all.addAll(servers);
    all.add(catalog);
    Closer.closeAll(all.toArray(AutoCloseable[]::new));
  }

  @Test
  void eachReplicaDrainsToTheOtherWithoutAFailedRequestOrANewVersion() {
    MeshgateProcess first = servers.get(0);
    MeshgateProcess second = servers.get(1);
    Wait.until(
        Duration.ofSeconds(30),
        "every Envoy connected to a replica",
        () -> proxies(first).size() + proxies(second).size() == ENVOYS);
    List<Map<String, String>> versionsBefore =
        envoys.stream().map(Replicas::appliedVersions).toList();

    try (Traffic traffic =
        Traffic.start(
            "http://127.0.0.1:" + port + "/catalog/items", "catalog", Duration.ofMillis(20))) {
      Wait.until(Duration.ofSeconds(10), "steady traffic", () -> traffic.succeeded() >= 10);

      terminate(first);
      awaitAllOn(second);
      MeshgateProcess restarted =
          first.startAgain(); // on its old address, as a pod's Service gives
      servers.add(restarted);

      terminate(second);
      List<Instant> reconnects = awaitAllOn(restarted);
      Duration spread = Duration.between(reconnects.getFirst(), reconnects.getLast());
      System.out.printf(
          "RollingRestartIT: %d Envoys reconnected over %d ms%n", ENVOYS, spread.toMillis());
      // Ended at 2/3 s, 4/3 s and 2 s; Envoy adds up to its reconnect back-off, so only a bound.
      assertThat(spread)
          .as("reconnections spread by the drain, %s", reconnects)
          .isGreaterThan(Duration.ofMillis(500));
      assertThat(second.logText())
          .as("the second replica's log")
          .contains("ended " + ENVOYS + " xDS stream(s) over 2000 ms");

      int after = traffic.succeeded();
      Wait.until(
          Duration.ofSeconds(10),
          "traffic after the restarts",
          () -> traffic.succeeded() >= after + 10);
      traffic.stop();
      assertThat(traffic.failures()).as("failed requests during the rolling restart").isEmpty();
    }
    for (int i = 0; i < ENVOYS; i++) {
      assertThat(Replicas.appliedVersions(envoys.get(i)))
          .as("versions Envoy %d applies", i)
          .isEqualTo(versionsBefore.get(i));
      envoys.get(i).assertNothingRejected();
    }
  }

  /** SIGTERM, as Kubernetes sends it; returns once the process has exited. */
  private static void terminate(MeshgateProcess server) {
    ProcessHandle process = ProcessHandle.of(server.pid()).orElseThrow();
    assertThat(process.destroy()).as("SIGTERM sent").isTrue();
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the replica did not exit within 30 s of SIGTERM", e);
    }
  }

  /** Waits until {@code server} lists every Envoy; returns when each connected, in order. */
  private static List<Instant> awaitAllOn(MeshgateProcess server) {
    List<JsonNode> proxies =
        Wait.until(
            Duration.ofSeconds(30),
            "every Envoy connected to the remaining replica",
            () -> {
              List<JsonNode> now = proxies(server);
              return now.size() == ENVOYS ? Optional.of(now) : Optional.empty();
            });
    return proxies.stream()
        .map(p -> Instant.parse(p.path("connectedAt").asText()))
        .sorted()
        .toList();
  }

  private static List<JsonNode> proxies(MeshgateProcess server) {
    List<JsonNode> list = new ArrayList<>();
    server.status().path("proxies").forEach(list::add);
    return list;
  }
}
