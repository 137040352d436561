package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.xds.testing.PromQl;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's metrics of issue 15 (per-group proxies and NACKs, push latency and size,
 * compile time, certificate expiry, staleness per source), and the control-plane dashboard reads
 * only metrics the server exports.
 */
class ControlPlaneMetricsTest {
  private final MeshgateServerTest harness = new MeshgateServerTest();
  @TempDir Path policyDir;
  @TempDir Path caDir;

  @AfterEach
  void stop() {
    harness.stop();
  }

  private Admin start() throws Exception {
    harness.dir = policyDir;
    harness.caDir = caDir;
    harness.start(MeshgateServerTest.POLICY);
    return harness.admin;
  }

  @Test
  void groupsPushesAndNacksAreMeasured() throws Exception {
    Admin admin = start();
    // Every group of the policy has a series at 0 before any proxy connects.
    assertThat(admin.metric("meshgate_group_proxies", "group=\"gateway:edge\"")).isZero();
    assertThat(admin.metric("meshgate_group_nacks_total", "group=\"gateway:edge\",type=\"routes\""))
        .isZero();
    assertThat(admin.metric("meshgate_policy_compile_duration_seconds_count", "")).isEqualTo(1.0);
    try (var envoy = new XdsTestClient(harness.server, "edge-1", "edge")) {
      envoy.send(envoy.request(MeshgateServerTest.CDS, List.of()));
      DiscoveryResponse cds = envoy.next();
      envoy.send(envoy.ack(cds, List.of()));
      envoy.send(envoy.request(MeshgateServerTest.LDS, List.of()));
      DiscoveryResponse lds = envoy.next();
      envoy.send(envoy.nack(lds, "", "listener edge: address in use"));
      admin.awaitStatus(s ->
          !s.at("/proxies/0/xds/listeners/lastNack").isNull()
              && !s.at("/proxies/0/xds/listeners/lastNack").isMissingNode());

      assertThat(admin.metric("meshgate_group_proxies", "group=\"gateway:edge\"")).isEqualTo(1.0);
      assertThat(
              admin.metric(
                  "meshgate_group_nacks_total", "group=\"gateway:edge\",type=\"listeners\""))
          .isEqualTo(1.0);
      assertThat(
              admin.metric(
                  "meshgate_group_nacks_total", "group=\"gateway:edge\",type=\"clusters\""))
          .isZero();
      assertThat(admin.metric("meshgate_xds_push_latency_seconds_count", "type=\"clusters\""))
          .isEqualTo(1.0);
      // The NACKed push is not an applied one.
      assertThat(admin.metric("meshgate_xds_push_latency_seconds_count", "type=\"listeners\""))
          .isZero();
      assertThat(admin.metric("meshgate_xds_push_size_bytes_count", "type=\"clusters\""))
          .isEqualTo(1.0);
      assertThat(admin.metric("meshgate_xds_push_size_bytes_sum", "type=\"clusters\""))
          .isEqualTo((double) cds.getSerializedSize());
    }
  }

  @Test
  void caExpiryAndStalenessPerSourceHaveSeriesFromTheStart() throws Exception {
    Admin admin = start();
    double ca = admin.metric("meshgate_certificate_expiry_seconds", "kind=\"ca\"");
    // A new CA lives ten years.
    assertThat(ca).isBetween(3649.0 * 86400, 3650.0 * 86400);
    assertThat(admin.metric("meshgate_catalog_source_stale_seconds", "source=\"consul\"")).isZero();
    assertThat(admin.metric("meshgate_catalog_source_stale_seconds", "source=\"kubernetes\""))
        .isZero();
  }

  @Test
  void stalenessIsTheOldestWatchPerSourceKind() {
    Metrics metrics = new Metrics();
    Instant now = Instant.now();
    metrics.catalogStaleness(() ->
        List.of(
            new dev.meshgate.discovery.Staleness(
                "consul:catalog@dc1", now.minusSeconds(120), "unreachable", 2),
            new dev.meshgate.discovery.Staleness(
                "consul:orders@dc1", now.minusSeconds(30), "unreachable", 1)));
    String text = metrics.scrape();
    assertThat(sample(text, "meshgate_catalog_source_stale_seconds{source=\"consul\"}"))
        .isBetween(119.0, 125.0);
    assertThat(sample(text, "meshgate_catalog_source_stale_seconds{source=\"kubernetes\"}"))
        .isZero();
    assertThat(Metrics.sourceKind("kubernetes:shop/catalog http")).isEqualTo("kubernetes");
    assertThat(Metrics.sourceKind("Weird Source")).isEqualTo("other");
  }

  @Test
  void certificateExpiryIsTheEarliestPerKind() throws Exception {
    var ca = dev.meshgate.xds.identity.CertificateAuthority.loadOrCreate(caDir);
    Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    var identities = new IdentitySecrets(ca, Duration.ofHours(2), clock);
    var secrets =
        identities.secrets("sidecar:orders", java.util.Optional.of("spiffe://x/service/orders"));
    var expiry =
        new CertificateExpiry(
            ca.certificate(), () -> secrets.toSnapshotResources().resources().values(), clock);
    Map<String, Long> seconds = expiry.secondsByKind();
    assertThat(seconds).containsOnlyKeys(CertificateExpiry.CA, CertificateExpiry.WORKLOAD);
    assertThat(seconds.get(CertificateExpiry.WORKLOAD)).isBetween(7000L, 7200L);
  }

  @Test
  void everyMetricOfTheControlPlaneDashboardIsExported() throws Exception {
    Admin admin = start();
    Set<String> exported = PromQl.exported(admin.request("GET", "/metrics").body());
    Path dashboard =
        Path.of(System.getProperty("meshgate.project.root", ".."))
            .resolve("deploy/grafana/meshgate-control-plane.json");
    List<String> exprs = PromQl.expressions(dashboard);
    assertThat(exprs).hasSizeGreaterThan(10);
    Set<String> queried = new TreeSet<>();
    exprs.forEach(e -> queried.addAll(PromQl.metricNames(e)));
    assertThat(queried).allMatch(name -> name.startsWith("meshgate_"));
    assertThat(exported).as("metrics on /metrics").containsAll(queried);
  }

  @Test
  void promQlNamesSkipFunctionsLabelsAndRanges() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, type) (rate(a_bucket{x=\"y\"}[$__rate_interval])))"
                    + " / ignoring(type) b_total offset 5m > 0.5"))
        .containsExactly("a_bucket", "b_total");
  }

  private static double sample(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no " + series + " in\n" + text);
  }
}
