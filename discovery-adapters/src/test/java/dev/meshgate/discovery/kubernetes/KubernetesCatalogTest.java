package dev.meshgate.discovery.kubernetes;

import static dev.meshgate.discovery.kubernetes.Fixtures.NS;
import static dev.meshgate.discovery.kubernetes.Fixtures.endpoint;
import static dev.meshgate.discovery.kubernetes.Fixtures.pod;
import static dev.meshgate.discovery.kubernetes.Fixtures.service;
import static dev.meshgate.discovery.kubernetes.Fixtures.slice;
import static dev.meshgate.discovery.testing.KubernetesObjects.notReady;
import static dev.meshgate.discovery.testing.KubernetesObjects.servicePort;
import static dev.meshgate.discovery.testing.KubernetesObjects.slicePort;
import static dev.meshgate.discovery.testing.KubernetesObjects.terminating;
import static dev.meshgate.discovery.testing.KubernetesObjects.withEndpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Subscription;
import dev.meshgate.discovery.UnsupportedQueryException;
import dev.meshgate.discovery.testing.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against fabric8's mock API server in CRUD mode (real REST list and watch over WebSockets, real
 * informers); see {@link KubernetesMockApi} for why it is not set up by the annotation.
 */
class KubernetesCatalogTest {
  private static final Duration CHECK = Duration.ofMillis(100);

  private KubernetesMockApi mock;
  private KubernetesClient client;
  private KubernetesCatalog catalog;

  @BeforeEach
  void cluster() {
    mock = KubernetesMockApi.start();
    client = mock.client();
    create(
        service("catalog", servicePort("http", 80, 8080), servicePort("grpc", 9090, 9090)),
        pod("catalog-1", "catalog", "v1"),
        pod("catalog-2", "catalog", "v2"),
        pod("catalog-3", "catalog", "v2"),
        slice(
            "catalog-abc",
            "catalog",
            List.of(slicePort("http", 8080), slicePort("grpc", 9090)),
            endpoint("10.0.0.1", "catalog-1", "zone-a"),
            endpoint("10.0.0.2", "catalog-2", "zone-b")));
    catalog =
        new KubernetesCatalog(
            client,
            KubernetesCatalog.Options.defaults()
                .withResyncPeriod(Duration.ofSeconds(1))
                .withWatchCheckInterval(CHECK));
  }

  @AfterEach
  void closeCatalog() {
    catalog.close();
    mock.close();
  }

  @Test
  void namedPortFollowsScaleReadinessTerminationDeletionAndPodLabels() {
    var listener = new Recorder();
    catalog.subscribe(query("http"), listener);
    List<Endpoint> first =
        listener.awaitSummary("10.0.0.1:8080 v1 zone-a", "10.0.0.2:8080 v2 zone-b");
    // Pod labels overlay the slice's (its "version" loses), slice labels stay usable.
    assertThat(first.getFirst().labels())
        .containsEntry("app", "catalog")
        .containsEntry("version", "v1")
        .containsEntry("tier", "backend")
        .containsEntry(NamespaceWatch.SERVICE_NAME_LABEL, "catalog");
    assertThat(first.getFirst().zone()).contains("zone-a");

    // Scale up: a second slice, merged with the first.
    create(
        slice(
            "catalog-def",
            "catalog",
            List.of(slicePort("http", 8080), slicePort("grpc", 9090)),
            endpoint("10.0.0.3", "catalog-3", "zone-a")));
    listener.awaitSummary(
        "10.0.0.1:8080 v1 zone-a", "10.0.0.3:8080 v2 zone-a", "10.0.0.2:8080 v2 zone-b");

    // Not ready: still listed, unhealthy (Envoy gets no traffic to it).
    editSlice(
        "catalog-abc",
        s ->
            withEndpoints(
                s,
                endpoint("10.0.0.1", "catalog-1", "zone-a"),
                notReady(endpoint("10.0.0.2", "catalog-2", "zone-b"))));
    listener.awaitSummary(
        "10.0.0.1:8080 v1 zone-a", "10.0.0.3:8080 v2 zone-a", "10.0.0.2:8080 v2 zone-b unhealthy");

    // Terminating: drained, gone from the list.
    editSlice(
        "catalog-abc",
        s ->
            withEndpoints(
                s,
                terminating(endpoint("10.0.0.1", "catalog-1", "zone-a")),
                notReady(endpoint("10.0.0.2", "catalog-2", "zone-b"))));
    listener.awaitSummary("10.0.0.3:8080 v2 zone-a", "10.0.0.2:8080 v2 zone-b unhealthy");

    // A slice deleted: its endpoints go.
    mock.deleteSlice(NS, "catalog-def");
    listener.awaitSummary("10.0.0.2:8080 v2 zone-b unhealthy");

    // Pod labels change: the endpoint's labels follow, so subsets re-select.
    client
        .pods()
        .inNamespace(NS)
        .withName("catalog-2")
        .edit(p -> {
          p.getMetadata().getLabels().put("version", "v3");
          return p;
        });
    listener.awaitSummary("10.0.0.2:8080 v3 zone-b unhealthy");

    assertNoRepeatedLists(listener);
    assertThat(listener.errors).isEmpty();
  }

  @Test
  void numberedPortMapsThroughTheServiceToTheTargetPort() {
    var http = new Recorder();
    var grpc = new Recorder();
    var missing = new Recorder();
    catalog.subscribe(query("80"), http);
    catalog.subscribe(query("9090"), grpc);
    catalog.subscribe(query("81"), missing);
    http.awaitSummary("10.0.0.1:8080 v1 zone-a", "10.0.0.2:8080 v2 zone-b");
    grpc.awaitSummary("10.0.0.1:9090 v1 zone-a", "10.0.0.2:9090 v2 zone-b");
    missing.awaitSummary(); // the Service has no port 81: no endpoints, not an error

    // A Service's only port may be unnamed: slices then list it with an empty name.
    create(
        service("solo", servicePort(null, 80, 8081)),
        slice(
            "solo-x",
            "solo",
            List.of(slicePort("", 8081)),
            endpoint("10.0.1.1", "none", "zone-c")));
    var solo = new Recorder();
    catalog.subscribe(new ServiceQuery.Kubernetes(NS, "solo", "80"), solo);
    solo.awaitSummary("10.0.1.1:8081 from-slice zone-c"); // no such pod: slice labels only

    // The Service's target port moves: the slices follow, and so do we.
    editSlice(
        "catalog-abc",
        s -> {
          s.getPorts().set(0, slicePort("http", 8888));
          return s;
        });
    http.awaitSummary("10.0.0.1:8888 v1 zone-a", "10.0.0.2:8888 v2 zone-b");
  }

  @Test
  void subscriptionsToOneNamespaceShareItsInformers() {
    var a = new Recorder();
    var b = new Recorder();
    var other = new Recorder();
    Subscription sa = catalog.subscribe(query("http"), a);
    Subscription sb = catalog.subscribe(query("http"), b);
    Subscription so = catalog.subscribe(new ServiceQuery.Kubernetes(NS, "orders", "http"), other);
    a.awaitSummary("10.0.0.1:8080 v1 zone-a", "10.0.0.2:8080 v2 zone-b");
    b.awaitSummary("10.0.0.1:8080 v1 zone-a", "10.0.0.2:8080 v2 zone-b");
    other.awaitSummary(); // no such Service (yet)
    assertThat(catalog.informerCount()).isEqualTo(3); // slices, services, pods of "shop"

    // A change reaches both subscriptions from the one informer.
    mock.deleteSlice(NS, "catalog-abc");
    a.awaitSummary();
    b.awaitSummary();

    sa.cancel();
    sb.cancel();
    assertThat(catalog.informerCount()).isEqualTo(3); // "orders" still watches the namespace
    so.cancel();
    so.cancel();
    assertThat(catalog.informerCount()).isZero();
  }

  @Test
  void cancelledSubscriptionGetsNoMoreCalls() {
    var cancelled = new Recorder();
    var kept = new Recorder();
    Subscription subscription = catalog.subscribe(query("http"), cancelled);
    catalog.subscribe(query("http"), kept);
    cancelled.awaitSummary("10.0.0.1:8080 v1 zone-a", "10.0.0.2:8080 v2 zone-b");
    kept.awaitSummary("10.0.0.1:8080 v1 zone-a", "10.0.0.2:8080 v2 zone-b");
    subscription.cancel();

    mock.deleteSlice(NS, "catalog-abc");
    kept.awaitSummary();
    // A later subscription's first answer comes after the deletion was processed.
    var later = new Recorder();
    catalog.subscribe(query("http"), later);
    later.awaitSummary();
    assertThat(cancelled.lists).hasSize(1);
  }

  @Test
  void droppedWatchReconnectsAndOutageKeepsTheLastEndpoints() throws Exception {
    try (var proxy = new TcpProxy(mock.port());
        var viaProxy = clientThrough(proxy);
        var proxied =
            new KubernetesCatalog(
                viaProxy, KubernetesCatalog.Options.defaults().withWatchCheckInterval(CHECK))) {
      var listener = new Recorder();
      proxied.subscribe(query("http"), listener);
      listener.awaitSummary("10.0.0.1:8080 v1 zone-a", "10.0.0.2:8080 v2 zone-b");

      // The watch connections drop (an API server restart, a load balancer timeout): fabric8
      // re-watches, and changes flow again.
      int connections = proxy.accepted();
      proxy.dropConnections();
      Recorder.awaitTrue(() -> proxy.accepted() > connections, "a reconnection through the proxy");
      create(
          slice(
              "catalog-def",
              "catalog",
              List.of(slicePort("http", 8080)),
              endpoint("10.0.0.3", "catalog-3", "zone-a")));
      awaitTouching(
          listener,
          "catalog-def",
          "10.0.0.1:8080 v1 zone-a",
          "10.0.0.3:8080 v2 zone-a",
          "10.0.0.2:8080 v2 zone-b");

      // The API server is unreachable: listeners hear of it and keep their list (no empty list).
      int before = listener.lists.size();
      proxy.refuse(true);
      listener.awaitError(e -> e instanceof KubernetesUnavailableException, "an outage report");
      assertThat(listener.lists).hasSize(before);
      assertThat(listener.errors.getFirst()).hasMessageContaining("namespace \"shop\"");

      // A change made while it was unreachable arrives when it is back.
      editSlice(
          "catalog-def",
          s -> withEndpoints(s, notReady(endpoint("10.0.0.3", "catalog-3", "zone-a"))));
      proxy.refuse(false);
      listener.awaitSummary(
          "10.0.0.1:8080 v1 zone-a",
          "10.0.0.3:8080 v2 zone-a unhealthy",
          "10.0.0.2:8080 v2 zone-b");
      assertNoRepeatedLists(listener);
    }
  }

  @Test
  void firstListFailingIsReportedAndRetried() throws Exception {
    try (var proxy = new TcpProxy(mock.port());
        var viaProxy = clientThrough(proxy);
        var proxied =
            new KubernetesCatalog(
                viaProxy, KubernetesCatalog.Options.defaults().withWatchCheckInterval(CHECK))) {
      proxy.refuse(true);
      var listener = new Recorder();
      proxied.subscribe(query("http"), listener);
      listener.awaitError(
          e -> e instanceof KubernetesUnavailableException, "a list failure report");
      assertThat(listener.lists).isEmpty();
      assertThat(proxied.staleness()).hasSize(1);
      proxy.refuse(false);
      listener.awaitSummary("10.0.0.1:8080 v1 zone-a", "10.0.0.2:8080 v2 zone-b");
      Recorder.awaitTrue(() -> proxied.staleness().isEmpty(), "staleness cleared once listed");
    }
  }

  @Test
  void withoutPodLabelsSliceLabelsAreUsedAndPodsAreNotWatched() {
    try (var slicesOnly =
        new KubernetesCatalog(client, KubernetesCatalog.Options.defaults().withPodLabels(false))) {
      var listener = new Recorder();
      slicesOnly.subscribe(query("http"), listener);
      listener.awaitSummary("10.0.0.1:8080 from-slice zone-a", "10.0.0.2:8080 from-slice zone-b");
      assertThat(slicesOnly.informerCount()).isEqualTo(2);
    }
  }

  @Test
  void rejectsOtherQueriesBadPortsAndUseAfterClose() {
    assertThatThrownBy(
            () -> catalog.subscribe(new ServiceQuery.Consul("catalog", Optional.empty()), e -> {}))
        .isInstanceOf(UnsupportedQueryException.class)
        .hasMessageContaining("Consul service \"catalog\"");
    assertThatThrownBy(() -> catalog.subscribe(new ServiceQuery.Static(List.of()), e -> {}))
        .isInstanceOf(UnsupportedQueryException.class);
    assertThatThrownBy(() -> catalog.subscribe(query("70000"), e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..65535");
    assertThatThrownBy(() -> catalog.subscribe(query(" "), e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(
            () -> catalog.subscribe(new ServiceQuery.Kubernetes("", "catalog", "http"), e -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catalog.informerCount()).isZero();
    catalog.close();
    assertThatThrownBy(() -> catalog.subscribe(query("http"), e -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  private static ServiceQuery.Kubernetes query(String port) {
    return new ServiceQuery.Kubernetes(NS, "catalog", port);
  }

  private void create(HasMetadata... objects) {
    for (HasMetadata o : objects) {
      client.resource(o).inNamespace(NS).create();
    }
  }

  /**
   * Waits for {@code expected}, touching the slice (a label change) every few seconds: the mock
   * server can lose an event that races with a watch being replaced, which a real API server cannot
   * (it resumes from the watch's resource version), and a later change of the same object brings
   * the whole object again. So the test checks that changes flow after a reconnect, not the mock's
   * race.
   */
  private void awaitTouching(Recorder listener, String slice, String... expected) {
    String touched = "";
    for (int attempt = 1; ; attempt++) {
      try {
        listener.awaitSummaryWithin(java.time.Duration.ofSeconds(3), expected);
        break;
      } catch (AssertionError notYet) {
        if (attempt == 10) {
          throw notYet;
        }
        String touch = Integer.toString(attempt);
        touched = touch;
        editSlice(
            slice,
            s -> {
              s.getMetadata().getLabels().put(TOUCH, touch);
              return s;
            });
      }
    }
    if (!touched.isEmpty()) {
      // The summary may have come from an event before the last touch: wait for the touch's own
      // list too, or it arrives in the middle of what the test checks next (a CI run saw it land
      // during the outage and count as a list the outage sent).
      String last = touched;
      Recorder.awaitTrue(
          () ->
              listener
                  .latest()
                  .map(l -> l.stream().anyMatch(e -> last.equals(e.labels().get(TOUCH))))
                  .orElse(false),
          "the list after touch " + last + " of slice " + slice);
      listener.awaitSummary(expected);
    }
  }

  private static final String TOUCH = "meshgate.test/touch";

  private void editSlice(String name, UnaryOperator<EndpointSlice> edit) {
    mock.editSlice(NS, name, edit);
  }

  /** A client that reaches the mock server through {@code proxy}, retrying quickly. */
  private static KubernetesClient clientThrough(TcpProxy proxy) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + proxy.port() + "/")
            .withNamespace("test")
            .withHttp2Disable(true)
            .withWatchReconnectInterval(50)
            .withRequestRetryBackoffLimit(1)
            .withRequestRetryBackoffInterval(50)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static void assertNoRepeatedLists(Recorder listener) {
    for (int i = 1; i < listener.lists.size(); i++) {
      assertThat(listener.lists.get(i))
          .as("list %d repeats list %d", i, i - 1)
          .isNotEqualTo(listener.lists.get(i - 1));
    }
  }
}
