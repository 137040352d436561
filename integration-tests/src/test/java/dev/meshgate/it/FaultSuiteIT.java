package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.XdsClientTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Issue 9, "make it stay fixed": faults of the control plane and of the policy files while a real
 * Envoy serves steady bounded traffic; every case counts the failed requests, and expects none. One
 * server and one Envoy for the class (the server is replaced by its own restart). Removing and
 * re-adding a gateway is {@link GatewayReAddIT}; a sidecar service, a Consul restart and the
 * secrets across a server restart are {@link MeshFaultsIT}.
 */
@ExtendWith(PrintLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
  private static final Duration TRAFFIC_INTERVAL = Duration.ofMillis(20);
  private static final Duration STATUS_WITHIN = Duration.ofSeconds(10);

  private static final String POLICY =
      """
      service stable { source static ${stable} }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" { route /stable/** { to stable } }
      }
      """;

  @TempDir static Path work;
  static Backend stable;
  static int port;
  static Path policyFile;
  static MeshgateProcess meshgate;
  static EnvoyProcess envoy;

  @BeforeAll
  static void start() {
    stable = Backend.start("stable");
    port = FreePorts.next();
    policyFile = Policy.write(work.resolve("policy/policy.mesh"), policy());
    meshgate = MeshgateProcess.start(policyFile.getParent(), work);
    envoy = GatewayStack.startEnvoy("edge", meshgate, work, 1);
  }

  @AfterEach
  void envoyRejectedNothing() {
    envoy.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(envoy, meshgate, stable);
  }

  @Test
  @Order(1)
  void killDashNineAndRestartOfTheServerLosesNoRequestAndServesTheSameVersions() {
    JsonNode before = awaitProxyAcked();
    try (Traffic traffic = traffic()) {
      Wait.sleep(Duration.ofMillis(300)); // traffic before the fault, too
      meshgate = meshgate.killAndRestart();
      JsonNode after = awaitProxyAcked();
      Wait.sleep(Duration.ofMillis(300));
      traffic.stop();
      assertNoFailures(traffic);
      // Same inputs, same versions: the reconnected Envoy already holds them.
      assertThat(after.get("groups")).isEqualTo(before.get("groups"));
    }
  }

  @Test
  @Order(2)
  void emptyCommentOnlyAndDeletedPoliciesAreHeldAndRestoringServesAgain() {
    try (Traffic traffic = traffic()) {
      int held = 0;
      for (Runnable emptying :
          List.<Runnable>of(
              () -> Policy.write(policyFile, ""),
              () -> Policy.write(policyFile, "# all commented out\n"),
              () -> delete(policyFile))) {
        emptying.run();
        held++;
        int expected = held;
        JsonNode status =
            Wait.until(
                STATUS_WITHIN,
                "reload " + expected + " to be held",
                () ->
                    meshgate.metricSum("meshgate_policy_reloads_held_total") >= expected
                        ? Optional.of(meshgate.status())
                        : Optional.empty());
        assertThat(status.at("/policy/lastReload/held").asBoolean()).isTrue();
        assertThat(status.at("/policy/lastReload/error").asText())
            .contains("no gateway or sidecar");
        Policy.write(policyFile, policy());
        awaitGoodReload();
      }
      traffic.stop();
      assertNoFailures(traffic);
    }
  }

  @Test
  @Order(3)
  void brokenEditKeepsTheLastGoodConfigServing() {
    try (Traffic traffic = traffic()) {
      Policy.write(policyFile, policy().replace("to stable", "to nowhere"));
      Wait.until(
          STATUS_WITHIN,
          "the broken reload in /status",
          () ->
              meshgate.status().at("/policy/lastReload/ok").asBoolean(true)
                  ? Optional.empty()
                  : Optional.of(true));
      Wait.sleep(Duration.ofMillis(500));
      Policy.write(policyFile, policy());
      awaitGoodReload();
      traffic.stop();
      assertNoFailures(traffic);
    }
  }

  @Test
  @Order(4)
  void aReconnectStormOfSimulatedProxiesDisturbsNoRequest() throws Exception {
    int proxies = 64;
    XdsClientTls credential = ProxyCredentials.issue(meshgate.caDir(), ProxyGroup.gateway("edge"));
    String ca = credential.caPem();
    List<AdsClient> clients = new ArrayList<>();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try (Traffic traffic = traffic()) {
      for (int i = 0; i < proxies; i++) {
        clients.add(
            AdsClient.tls(meshgate.xdsPort(), ca, credential.certPem(), credential.keyPem()));
      }
      List<CompletableFuture<AdsClient.Outcome>> storm = new ArrayList<>();
      for (int i = 0; i < proxies; i++) {
        AdsClient client = clients.get(i);
        String id = "storm-" + i;
        storm.add(
            CompletableFuture.supplyAsync(
                () ->
                    client.sotw(
                        AdsClient.node(id, "gateway", "edge"),
                        AdsClient.CLUSTERS,
                        List.of(),
                        Duration.ofSeconds(20)),
                pool));
      }
      for (CompletableFuture<AdsClient.Outcome> outcome : storm) {
        assertThat(outcome.get().responses()).as("CDS answered").hasSize(1);
      }
      traffic.stop();
      assertNoFailures(traffic);
    } finally {
      clients.forEach(AdsClient::close);
      pool.shutdown();
    }
  }

  private static Traffic traffic() {
    return Traffic.start("http://127.0.0.1:" + port + "/stable/x", "stable", TRAFFIC_INTERVAL);
  }

  private static void assertNoFailures(Traffic traffic) {
    assertThat(traffic.failures()).as("failed requests").isEmpty();
    assertThat(traffic.succeeded()).as("requests served").isGreaterThan(10);
  }

  /**
   * /status once the Envoy has ACKed every type at the served version. Generous: after a restart
   * Envoy reconnects on its own backoff (up to 30 s between attempts), and a cold server's first
   * TLS handshakes can outlast the bootstrap's 1 s connect timeout on a busy machine.
   */
  private static JsonNode awaitProxyAcked() {
    return Wait.until(
        Duration.ofSeconds(75),
        "Envoy " + envoy.nodeId() + " connected and up to date",
        () -> {
          JsonNode status = meshgate.status();
          Optional<JsonNode> proxy = XdsStatus.proxy(status, envoy.nodeId());
          Optional<JsonNode> group = XdsStatus.group(status, "gateway:edge");
          if (proxy.isEmpty() || group.isEmpty()) {
            return Optional.empty();
          }
          for (String type : XdsStatus.TYPES) {
            String acked = proxy.get().at("/xds/" + type + "/ackedVersion").asText("");
            String served = group.get().at("/versions/" + type).asText();
            if (!acked.equals(served)) {
              return Optional.empty();
            }
          }
          return Optional.of(status);
        });
  }

  private static void awaitGoodReload() {
    Wait.until(
        STATUS_WITHIN,
        "a good reload in /status",
        () ->
            meshgate.status().at("/policy/lastReload/ok").asBoolean(false)
                ? Optional.of(true)
                : Optional.empty());
  }

  private static void delete(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String policy() {
    return Policy.render(POLICY, Map.of("stable", stable.address(), "port", port));
  }
}
