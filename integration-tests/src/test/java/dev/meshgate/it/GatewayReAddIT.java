package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9.1: a gateway removed from the policy and added back while its Envoys stay connected gets
 * every later change again, over state-of-the-world and delta xDS alike. Meanwhile another
 * gateway's Envoy serves steady traffic without a single failed request.
 */
@ExtendWith(PrintLogsOnFailure.class)
class GatewayReAddIT {
  private static final Duration APPLY_WITHIN = Duration.ofSeconds(5);
  private static final Duration TRAFFIC_INTERVAL = Duration.ofMillis(20);

  private static final String SERVICES =
      """
      service stable { source static ${stable} }
      service a { source static ${a} }
      service b { source static ${b} }

      gateway steady {
        listen 127.0.0.1:${steadyPort}
        host "*" { route /stable/** { to stable } }
      }
      """;

  private static final String EDGE =
      """
      gateway edge {
        listen 127.0.0.1:${edgePort}
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
  static int steadyPort;
  static int edgePort;
  static MeshgateProcess meshgate;
  static Path policyFile;
  static EnvoyProcess steady;
  static EnvoyProcess sotw;
  static EnvoyProcess delta;

  @BeforeAll
  static void start() {
    stable = Backend.start("stable");
    a = Backend.start("a");
    b = Backend.start("b");
    steadyPort = FreePorts.next();
    edgePort = FreePorts.next();
    policyFile = Policy.write(work.resolve("policy/policy.mesh"), policy(Optional.of("a")));
    meshgate = MeshgateProcess.start(policyFile.getParent(), work);
    steady = GatewayStack.startEnvoy("steady", meshgate, work, 1);
    sotw = GatewayStack.startEnvoy("edge", meshgate, work, 1);
    delta = GatewayStack.startDeltaEnvoy("edge", meshgate, work, 0);
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(steady, sotw, delta, meshgate, stable, a, b);
  }

  @Test
  void aRemovedAndReAddedGatewayGetsLaterChangesOverSotwAndDelta() {
    // Both edge Envoys share one listener port: only one can bind it, the other keeps it warming
    // or failed. So each is asked through its own view: Envoy's config dump of routes.
    awaitTarget("a");

    try (Traffic traffic =
        Traffic.start("http://127.0.0.1:" + steadyPort + "/stable/x", "stable", TRAFFIC_INTERVAL)) {
      Policy.write(policyFile, policy(Optional.empty()));
      Wait.until(
          APPLY_WITHIN,
          "both edge Envoys to drop their listener (the gateway is gone)",
          () ->
              listenerCount(sotw) == 0 && listenerCount(delta) == 0
                  ? Optional.of(true)
                  : Optional.empty());

      Policy.write(policyFile, policy(Optional.of("a")));
      awaitTarget("a");

      Policy.write(policyFile, policy(Optional.of("b")));
      awaitTarget("b");

      // The edits apply within tens of milliseconds now (no debounce): keep the steady
      // traffic going until it has sent enough to mean something.
      Wait.until(
          APPLY_WITHIN,
          "more than 10 requests through gateway steady",
          () ->
              traffic.succeeded() > 10 || !traffic.failures().isEmpty()
                  ? Optional.of(true)
                  : Optional.empty());
      traffic.stop();
      assertThat(traffic.failures()).as("failed requests through gateway steady").isEmpty();
      assertThat(traffic.succeeded()).isGreaterThan(10);
    }
    steady.assertNothingRejected();
    sotw.assertNothingRejected();
    delta.assertNothingRejected();
  }

  /** Both edge Envoys route /moving to cluster {@code target}, as their config dumps show. */
  private static void awaitTarget(String target) {
    try {
      Wait.until(
          APPLY_WITHIN,
          "both edge Envoys to route /moving to " + target,
          () ->
              movingCluster(sotw).equals(target) && movingCluster(delta).equals(target)
                  ? Optional.of(true)
                  : Optional.empty());
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; state of the world Envoy routes to "
              + movingCluster(sotw)
              + ", delta Envoy to "
              + movingCluster(delta),
          e);
    }
  }

  private static String movingCluster(EnvoyProcess envoy) {
    String dump = envoy.configDump("RoutesConfigDump").toString();
    // The route config is small: find the cluster named right after the /moving prefix.
    int at = dump.indexOf("/moving");
    if (at < 0) {
      return "";
    }
    int cluster = dump.indexOf("\"cluster\":\"", at);
    if (cluster < 0) {
      return "";
    }
    int start = cluster + "\"cluster\":\"".length();
    return dump.substring(start, dump.indexOf('"', start));
  }

  private static int listenerCount(EnvoyProcess envoy) {
    int count = 0;
    for (var listener : envoy.configDump("ListenersConfigDump").path("dynamic_listeners")) {
      if (listener.has("active_state") || listener.has("warming_state")) {
        count++; // a removed listener lingers while it drains
      }
    }
    return count;
  }

  static String policy(Optional<String> target) {
    String text = SERVICES + target.map(t -> EDGE.replace("${target}", t)).orElse("");
    return Policy.render(
        text,
        Map.of(
            "stable",
            stable.address(),
            "a",
            a.address(),
            "b",
            b.address(),
            "steadyPort",
            steadyPort,
            "edgePort",
            edgePort));
  }
}
