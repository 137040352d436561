package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.xds.testing.PromQl;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 metrics, end to end: every Envoy serves Prometheus stats on its stats listener (and
 * nothing else of its admin interface), labelled with its group and the policy's cluster names; the
 * server's /metrics counts proxies per group, pushes, compiles and certificate expiry; and both
 * Grafana dashboards query only metrics that exist.
 */
@ExtendWith(PrintLogsOnFailure.class)
class MetricsIT {
  private static final String POLICY =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      service web {
        source static 127.0.0.1:${inbound}
        outlier-detection { consecutive-5xx 5 }
        sidecar {
          inbound 127.0.0.1:${inbound}
          app ${app}
          outbound 127.0.0.1:${outbound}
        }
      }
      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /limited/** { to web  rate-limit 1 per 1h }
          route /** { to web }
        }
      }
      allow edge -> web
      """;

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

  @TempDir static Path work;
  static Backend web;
  static MeshgateProcess meshgate;
  static EnvoyProcess edge;
  static EnvoyProcess sidecar;
  static int edgePort;
  static int edgeStats;
  static int sidecarStats;

  @BeforeAll
  static void start() {
    web = Backend.start("web");
    edgePort = FreePorts.next();
    int inbound = FreePorts.next();
    int outbound = FreePorts.next();
    Path policy =
        Policy.write(
            work.resolve("policy/policy.mesh"),
            Policy.render(
                POLICY,
                Map.of(
                    "app", web.address(),
                    "inbound", inbound,
                    "outbound", outbound,
                    "port", edgePort)));
    meshgate = MeshgateProcess.start(policy.getParent(), work);
    edgeStats = FreePorts.next();
    sidecarStats = FreePorts.next();
    String sidecarId = EnvoyProcess.uniqueNodeId("web");
    // Listeners: the policy's (web's inbound: it calls nothing, so no outbound; the gateway's one)
    // plus the stats listener.
    sidecar =
        EnvoyProcess.start(
            sidecarId,
            admin ->
                Bootstraps.withStats(
                    meshgate, List.of("--sidecar", "web"), sidecarId, admin, sidecarStats),
            work,
            2);
    String edgeId = EnvoyProcess.uniqueNodeId("edge");
    edge =
        EnvoyProcess.start(
            edgeId,
            admin ->
                Bootstraps.withStats(
                    meshgate, List.of("--gateway", "edge"), edgeId, admin, edgeStats),
            work,
            2);
    // The sidecar has its listeners (awaited above) and no endpoints to ACK: web calls nothing.
    XdsStatus.awaitAllAcked(meshgate, edgeId, "gateway:edge", Duration.ofSeconds(20));
    // Traffic: ok through the gateway and the sidecar, and one request over the rate limit.
    for (int i = 0; i < 5; i++) {
      assertThat(Http.get(edgeUrl("/items/" + i)).statusCode()).isEqualTo(200);
    }
    assertThat(Http.get(edgeUrl("/limited/a")).statusCode()).isEqualTo(200);
    assertThat(Http.get(edgeUrl("/limited/b")).statusCode()).isEqualTo(429);
  }

  @AfterEach
  void envoysRejectedNothing() {
    edge.assertNothingRejected();
    sidecar.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(edge, sidecar, meshgate, web);
  }

  static String edgeUrl(String path) {
    return "http://127.0.0.1:" + edgePort + path;
  }

  static String statsUrl(int port, String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Test
  void gatewayStatsAreLabelledWithTheGroupAndThePolicysClusterNames() {
    List<Sample> samples =
        Wait.until(
            Duration.ofSeconds(10),
            "edge's upstream_rq_total for web >= 6 on its stats listener",
            () -> {
              List<Sample> all = scrape(edgeStats);
              return find(all, "envoy_cluster_upstream_rq_total", "envoy_cluster_name", "web")
                      .filter(s -> s.value() >= 6)
                      .isPresent()
                  ? java.util.Optional.of(all)
                  : java.util.Optional.empty();
            });
    Sample upstream =
        find(samples, "envoy_cluster_upstream_rq_total", "envoy_cluster_name", "web").orElseThrow();
    assertThat(upstream.labels()).containsEntry("meshgate_group", "gateway:edge");
    // Every stat carries the group, whatever its family (but the few Envoy makes before it reads
    // its bootstrap: filesystem and hot restart).
    assertThat(tagged(samples))
        .allMatch(s -> "gateway:edge".equals(s.labels().get("meshgate_group")));
    // Each limited route's bucket is one series of one metric, labelled with the route.
    assertThat(
            samples.stream()
                .filter(s ->
                    s.name().equals("envoy_local_rate_limit_http_local_rate_limit_rate_limited")
                        && s.labels().containsKey("meshgate_route"))
                .map(Sample::value))
        .containsExactly(1.0);
    assertThat(names(samples)).noneMatch(n -> n.startsWith("envoy_local_rate_limit___"));
    assertThat(
            samples.stream()
                .filter(s -> s.name().equals("envoy_http_downstream_rq_total"))
                .map(s -> s.labels().get("envoy_http_conn_manager_prefix")))
        .contains("admin", "meshgate_stats")
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(names(samples)).contains("envoy_cluster_upstream_rq_time_bucket");
  }

  @Test
  void sidecarStatsCarryItsGroup() {
    List<Sample> samples =
        Wait.until(
            Duration.ofSeconds(10),
            "web's sidecar counted inbound requests",
            () -> {
              List<Sample> all = scrape(sidecarStats);
              return all.stream()
                      .anyMatch(s ->
                          s.name().equals("envoy_http_downstream_rq_total")
                              && s.value() >= 6
                              && !"admin".equals(s.labels().get("envoy_http_conn_manager_prefix")))
                  ? java.util.Optional.of(all)
                  : java.util.Optional.empty();
            });
    assertThat(tagged(samples))
        .allMatch(s -> "sidecar:web".equals(s.labels().get("meshgate_group")));
  }

  @Test
  void theStatsListenerServesNothingElseOfTheAdminInterface() {
    assertThat(Http.get(statsUrl(edgeStats, "/ready")).body().trim()).isEqualTo("LIVE");
    for (String path :
        List.of("/config_dump", "/clusters", "/stats", "/certs", "/runtime", "/", "/server_info")) {
      assertThat(Http.get(statsUrl(edgeStats, path)).statusCode())
          .as("GET %s", path)
          .isEqualTo(404);
    }
    for (String path :
        List.of(
            "/quitquitquit",
            "/healthcheck/fail",
            "/runtime_modify?x=1",
            "/logging?level=trace",
            "/stats/prometheus",
            "/reset_counters")) {
      assertThat(Http.send("POST", statsUrl(edgeStats, path)).statusCode())
          .as("POST %s", path)
          .isEqualTo(404);
    }
    // Nothing above reached the admin interface: Envoy is still up, healthy and unchanged.
    assertThat(edge.isAlive()).isTrue();
    assertThat(Http.get(edge.adminUrl("/ready")).body().trim()).isEqualTo("LIVE");
    assertThat(Http.get(edgeUrl("/items/x")).statusCode()).isEqualTo(200);
  }

  @Test
  void controlPlaneMetricsCountProxiesPerGroupPushesCompilesAndCertificates() {
    Wait.until(
        Duration.ofSeconds(10),
        "one proxy per group on /metrics",
        () ->
            labelled(meshgate.metrics(), "meshgate_group_proxies", "group", "gateway:edge") == 1.0
                && labelled(meshgate.metrics(), "meshgate_group_proxies", "group", "sidecar:web")
                    == 1.0);
    String metrics = meshgate.metrics();
    assertThat(meshgate.metricSum("meshgate_xds_pushes_total")).isGreaterThanOrEqualTo(8.0);
    assertThat(meshgate.metricSum("meshgate_xds_push_latency_seconds_count"))
        .isGreaterThanOrEqualTo(8.0);
    assertThat(meshgate.metricSum("meshgate_xds_push_size_bytes_sum")).isPositive();
    assertThat(meshgate.metric("meshgate_policy_compile_duration_seconds_count").orElseThrow())
        .isGreaterThanOrEqualTo(1.0);
    assertThat(labelled(metrics, "meshgate_certificate_expiry_seconds", "kind", "ca"))
        .isGreaterThan(365.0 * 86400);
    // The proxies' identities, issued for the server's --cert-ttl and rotated before expiry.
    assertThat(labelled(metrics, "meshgate_certificate_expiry_seconds", "kind", "workload"))
        .isPositive();
    assertThat(meshgate.metricSum("meshgate_group_nacks_total")).isZero();
  }

  @Test
  void everyMetricOfBothDashboardsExists() throws Exception {
    Set<String> dataPlane = new TreeSet<>();
    dataPlane.addAll(names(scrape(edgeStats)));
    dataPlane.addAll(names(scrape(sidecarStats)));
    Set<String> queried = queried("meshgate-data-plane.json");
    assertThat(queried).allMatch(n -> n.startsWith("envoy_"));
    assertThat(dataPlane).as("metrics the stats listeners serve").containsAll(queried);

    Set<String> controlPlane = new TreeSet<>(PromQl.exported(meshgate.metrics()));
    assertThat(controlPlane).containsAll(queried("meshgate-control-plane.json"));
  }

  private static Set<String> queried(String dashboard) throws Exception {
    List<String> exprs =
        PromQl.expressions(ProjectRoot.get().resolve("deploy/grafana").resolve(dashboard));
    assertThat(exprs).as(dashboard).hasSizeGreaterThan(5);
    Set<String> names = new TreeSet<>();
    exprs.forEach(e -> names.addAll(PromQl.metricNames(e)));
    return names;
  }

  record Sample(String name, Map<String, String> labels, double value) {}

  private static List<Sample> scrape(int port) {
    HttpResponse<String> response = Http.get(statsUrl(port, "/stats/prometheus"));
    assertThat(response.statusCode()).isEqualTo(200);
    List<Sample> samples = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    assertThat(samples).as("samples on :%d/stats/prometheus", port).isNotEmpty();
    return samples;
  }

  private static java.util.Optional<Sample> find(
      List<Sample> samples, String name, String label, String value) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && value.equals(s.labels().get(label)))
        .findFirst();
  }

  /** Samples of the stats Envoy creates after reading its bootstrap's stats_config. */
  private static List<Sample> tagged(List<Sample> samples) {
    List<Sample> tagged =
        samples.stream()
            .filter(s ->
                !s.name().startsWith("envoy_filesystem_")
                    && !s.name().equals("envoy_server_hot_restart_generation"))
            .toList();
    assertThat(tagged).hasSizeGreaterThan(100);
    return tagged;
  }

  private static Set<String> names(List<Sample> samples) {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  /** The value of {@code name{label="value"}} in a Prometheus exposition, or NaN. */
  private static double labelled(String exposition, String name, String label, String value) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label + "=\"" + value + "\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }
}
