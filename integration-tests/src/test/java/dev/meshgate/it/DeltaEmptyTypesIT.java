package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17.5: a gateway whose group has no clusters (it only answers directly) is served at once
 * over delta xDS as over state of the world. Before the fix, the delta Envoy got no answer to its
 * cluster subscription and waited for its initial fetch timeout (15 s) before asking for listeners.
 * Envoy's {@code init_fetch_timeout} counters say whether it had to wait; no clock is involved.
 */
@ExtendWith(PrintLogsOnFailure.class)
class DeltaEmptyTypesIT {
  private static final String POLICY =
      """
      gateway sotw {
        listen 127.0.0.1:${sotwPort}
        host "*" { route /** { respond 200 "sotw" } }
      }
      gateway delta {
        listen 127.0.0.1:${deltaPort}
        host "*" { route /** { respond 200 "delta" } }
      }
      """;

  @TempDir static Path work;
  static int sotwPort;
  static int deltaPort;
  static MeshgateProcess meshgate;
  static EnvoyProcess sotw;
  static EnvoyProcess delta;

  @BeforeAll
  static void start() {
    sotwPort = FreePorts.next();
    deltaPort = FreePorts.next();
    Path policy =
        Policy.write(
            work.resolve("policy/policy.mesh"),
            POLICY
                .replace("${sotwPort}", Integer.toString(sotwPort))
                .replace("${deltaPort}", Integer.toString(deltaPort)));
    meshgate = MeshgateProcess.start(policy.getParent(), work);
    sotw = GatewayStack.startEnvoy("sotw", meshgate, work, 1);
    delta = GatewayStack.startDeltaEnvoy("delta", meshgate, work, 1);
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(sotw, delta, meshgate);
  }

  @Test
  void aGroupWithoutClustersIsServedWithoutWaitingForTheInitialFetchTimeout() {
    for (EnvoyProcess envoy : new EnvoyProcess[] {sotw, delta}) {
      assertThat(envoy.stat("cluster_manager.cds.init_fetch_timeout"))
          .as("%s: cluster subscription answered before Envoy gave up waiting", envoy.nodeId())
          .hasValue(0);
      assertThat(envoy.stat("listener_manager.lds.init_fetch_timeout"))
          .as("%s: listener subscription answered before Envoy gave up waiting", envoy.nodeId())
          .hasValue(0);
      assertThat(envoy.stat("cluster_manager.cds.update_success").orElse(0))
          .as("%s: applied an (empty) cluster update", envoy.nodeId())
          .isGreaterThan(0);
      envoy.assertNothingRejected();
    }
    HttpResponse<String> viaSotw = Http.get("http://127.0.0.1:" + sotwPort + "/x");
    HttpResponse<String> viaDelta = Http.get("http://127.0.0.1:" + deltaPort + "/x");
    assertThat(viaSotw.body()).isEqualTo("sotw");
    assertThat(viaDelta.body()).isEqualTo("delta");
  }
}
