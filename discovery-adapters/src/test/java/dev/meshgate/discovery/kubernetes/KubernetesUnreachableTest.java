package dev.meshgate.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Staleness;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What the catalog does without a reachable cluster: no cluster or mock needed. */
class KubernetesUnreachableTest {
  @TempDir Path home;

  @Test
  void anUnreachableApiIsOneWarningOneErrorAndStalenessNotOnePerRetry() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + port + "/")
            .withRequestRetryBackoffLimit(1)
            .withRequestRetryBackoffInterval(50)
            .withWatchReconnectInterval(50)
            .build();
    try (var client = new KubernetesClientBuilder().withConfig(config).build();
        var catalog =
            new KubernetesCatalog(
                client,
                KubernetesCatalog.Options.defaults()
                    .withWatchCheckInterval(Duration.ofMillis(100)))) {
      var listener = new Recorder();
      catalog.subscribe(new ServiceQuery.Kubernetes("shop", "catalog", "http"), listener);
      Recorder.awaitTrue(() -> !listener.errors.isEmpty(), "an outage report");
      // fabric8's own retry log is the clock: 3 informers, so 4 failures include a retry.
      Recorder.awaitTrue(() -> fabric8Retries(logs) >= 4, "fabric8 retrying an informer");

      assertThat(listener.errors).hasSize(1);
      assertThat(listener.errors.getFirst())
          .isInstanceOf(KubernetesUnavailableException.class)
          .hasMessageStartingWith(
              "cannot reach the Kubernetes API for namespace \"shop\" (cannot list ")
          .hasMessageContaining("Connection refused")
          .hasMessageEndingWith("); retrying, and serving the last known endpoints meanwhile");
      List<ILoggingEvent> ours =
          List.copyOf(logs.list).stream()
              .filter(e -> e.getLoggerName().startsWith("dev.meshgate"))
              .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
              .toList();
      assertThat(ours).hasSize(1);
      assertThat(ours.getFirst().getFormattedMessage())
          .isEqualTo(listener.errors.getFirst().getMessage());
      assertThat(ours.getFirst().getThrowableProxy()).isNull();

      List<Staleness> stale = catalog.staleness();
      assertThat(stale).hasSize(1);
      assertThat(stale.getFirst().source()).isEqualTo("kubernetes:shop/catalog port \"http\"");
      assertThat(stale.getFirst().endpoints()).isZero();
      assertThat(stale.getFirst().reason()).contains("Connection refused");

      // A subscriber that comes during the outage hears of it at once.
      var late = new Recorder();
      catalog.subscribe(new ServiceQuery.Kubernetes("shop", "orders", "http"), late);
      Recorder.awaitTrue(() -> !late.errors.isEmpty(), "the outage, told to a late subscriber");
      assertThat(catalog.staleness()).hasSize(2);
    } finally {
      root.detachAppender(logs);
    }
  }

  private static long fabric8Retries(ListAppender<ILoggingEvent> logs) {
    return List.copyOf(logs.list).stream()
        .filter(e -> e.getLoggerName().startsWith("io.fabric8"))
        .filter(e -> e.getFormattedMessage().contains("will retry"))
        .count();
  }

  @Test
  void noKubeconfigAndNoPodSaysWhatIsMissing() throws IOException {
    assertThat(ClusterConfiguration.whyMissing(Map.of(), new Properties(), home))
        .contains(
            "no Kubernetes cluster configured: no kubeconfig ("
                + home.resolve(".kube/config")
                + " does not exist and KUBECONFIG is not set) and not running in a pod; set"
                + " KUBECONFIG to a cluster's kubeconfig, or run meshgate inside the cluster");
    Path missing = home.resolve("nope.yaml");
    assertThat(
            ClusterConfiguration.whyMissing(
                Map.of("KUBECONFIG", missing.toString()), new Properties(), home))
        .contains(
            "no Kubernetes cluster configured: KUBECONFIG="
                + missing
                + " names no existing file; point KUBECONFIG at a cluster's kubeconfig");

    Path file = Files.writeString(home.resolve("kubeconfig.yaml"), "apiVersion: v1\n");
    assertThat(
            ClusterConfiguration.whyMissing(
                Map.of("KUBECONFIG", missing + ":" + file), new Properties(), home))
        .isEmpty();
    assertThat(
            ClusterConfiguration.whyMissing(
                Map.of("KUBERNETES_MASTER", "https://10.0.0.1:6443"), new Properties(), home))
        .isEmpty();
    Files.createDirectories(home.resolve(".kube"));
    Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\n");
    assertThat(ClusterConfiguration.whyMissing(Map.of(), new Properties(), home)).isEmpty();
  }
}
