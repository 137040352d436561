package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.1: two replicas of {@code meshgate serve} with the same policy and CA serve identical
 * resources under identical versions, so an Envoy whose server dies (SIGKILL, under steady traffic)
 * fails over to the other and applies nothing new: no failed request, every type's version as
 * before, no listener or cluster rebuilt, and the survivor's {@code /status} lists the Envoy. The
 * edge is in a strict mesh, so it holds a workload certificate over SDS: the replicas share the CA
 * directory and with it the certificates issued to each group.
 */
@ExtendWith(PrintLogsOnFailure.class)
class ReplicaFailoverIT {
  private static final String POLICY =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
      }
      service catalog { source static ${catalog} }
      service payments {
        source static 127.0.0.1:${payments}
        sidecar {
          inbound 127.0.0.1:${payments}
          app 127.0.0.1:${paymentsApp}
          outbound 127.0.0.1:${paymentsOut}
        }
      }
      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /catalog/** { to catalog timeout 2s retry 1 }
          route /payments/** { to payments }
          route /healthz { respond 200 "ok" }
        }
      }
      """;

  @TempDir static Path work;
  static Backend catalog;
  static int port;
  static MeshgateProcess first;
  static MeshgateProcess second;
  static EnvoyProcess envoy;

  @BeforeAll
  static void start() {
    catalog = Backend.start("catalog");
    port = FreePorts.next();
    Path policy =
        Policy.write(
            work.resolve("policy/policy.mesh"),
            POLICY
                .replace("${catalog}", catalog.address())
                .replace("${port}", Integer.toString(port))
                .replace("${payments}", Integer.toString(FreePorts.next()))
                .replace("${paymentsApp}", Integer.toString(FreePorts.next()))
                .replace("${paymentsOut}", Integer.toString(FreePorts.next())));
    first = MeshgateProcess.start(policy.getParent(), work);
    second = MeshgateProcess.startReplica(first, policy.getParent());
    envoy = Replicas.gatewayOfBoth("edge", first, second, work);
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(envoy, first, second, catalog);
  }

  @Test
  void anEnvoyFailsOverToTheOtherReplicaWithoutANewVersion() {
    assertThat(first.status().path("policyVersion").asText())
        .as("both replicas serve the same policy version")
        .isEqualTo(second.status().path("policyVersion").asText());
    MeshgateProcess connected = awaitConnectedTo(List.of(first, second));
    MeshgateProcess survivor = connected == first ? second : first;
    Map<String, String> versionsBefore = appliedVersions();
    Map<String, Long> rebuildsBefore = rebuilds();
    assertThat(versionsBefore.keySet())
        .as("what the edge Envoy holds: its mesh identity over SDS among the rest")
        .anyMatch(k -> k.startsWith("SecretsConfigDump/"))
        .anyMatch(k -> k.startsWith("RoutesConfigDump/"));
    assertThat(rebuildsBefore).isNotEmpty();

    try (Traffic traffic =
        Traffic.start(
            "http://127.0.0.1:" + port + "/catalog/items", "catalog", Duration.ofMillis(20))) {
      Wait.until(
          Duration.ofSeconds(10),
          "steady traffic before the kill",
          () -> traffic.succeeded() >= 10 ? Optional.of(true) : Optional.empty());
      ProcessHandle.of(connected.pid())
          .ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
          });
      awaitConnectedTo(List.of(survivor));
      int afterFailover = traffic.succeeded();
      Wait.until(
          Duration.ofSeconds(10),
          "traffic after the fail-over",
          () -> traffic.succeeded() >= afterFailover + 10 ? Optional.of(true) : Optional.empty());
      traffic.stop();
      assertThat(traffic.failures()).as("failed requests during the fail-over").isEmpty();
    }

    assertThat(appliedVersions()).as("versions Envoy applies").isEqualTo(versionsBefore);
    assertThat(rebuilds()).as("listeners and clusters Envoy rebuilt").isEqualTo(rebuildsBefore);
    JsonNode proxy = onlyProxy(survivor);
    for (String type : List.of("clusters", "listeners", "routes", "endpoints")) {
      assertThat(proxy.path("xds").path(type).path("ackedVersion").asText())
          .as("%s version the survivor saw acknowledged", type)
          .isNotBlank();
    }
    envoy.assertNothingRejected();
  }

  /** Waits until exactly one of {@code candidates} lists the Envoy in /status; returns it. */
  private static MeshgateProcess awaitConnectedTo(List<MeshgateProcess> candidates) {
    return Wait.until(
        Duration.ofSeconds(30),
        "the Envoy connected to one of " + candidates.size() + " replica(s)",
        () -> {
          List<MeshgateProcess> with = new ArrayList<>();
          for (MeshgateProcess m : candidates) {
            if (m.status().path("proxies").size() == 1) {
              with.add(m);
            }
          }
          return with.size() == 1 ? Optional.of(with.getFirst()) : Optional.empty();
        });
  }

  private static JsonNode onlyProxy(MeshgateProcess meshgate) {
    JsonNode proxies = meshgate.status().path("proxies");
    assertThat(proxies).hasSize(1);
    return proxies.get(0);
  }

  private static Map<String, String> appliedVersions() {
    return Replicas.appliedVersions(envoy);
  }

  private static Map<String, Long> rebuilds() {
    return Replicas.rebuilds(envoy);
  }
}
