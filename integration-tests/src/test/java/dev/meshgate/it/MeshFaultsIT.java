package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.discovery.testing.ConsulDevAgent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
 * Issue 9, "make it stay fixed", the mesh half of the fault suite (the gateway half is {@link
 * FaultSuiteIT} and {@link GatewayReAddIT}): a sidecar service removed and re-added, a Consul
 * restart, and a server restart that must push no new secret. One server, one edge gateway, two
 * sidecars and one Consul dev agent for the class; every case runs steady traffic through the edge
 * Envoy on a path the fault must not touch, and counts its failed requests (0 expected).
 */
@ExtendWith(PrintLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshFaultsIT {
  private static final Duration TRAFFIC_INTERVAL = Duration.ofMillis(20);
  private static final Duration APPLY_WITHIN = Duration.ofSeconds(10);

  /**
   * After a kill -9 Envoy reconnects on its own backoff (up to 30 s between attempts), and a cold
   * server's first TLS handshakes can outlast the bootstrap's connect timeout on a busy machine.
   */
  private static final Duration RECONNECT_WITHIN = Duration.ofSeconds(75);

  private static final String MESH =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }

      service web { source consul "web" }
      """
          + MeshStack.service("catalog");

  /** The policy with service orders; {@code allowEdge} lets the gateway call it. */
  private static String withOrders(String timeout, boolean allowEdge) {
    return MESH
        + MeshStack.service("orders")
        + """
        gateway edge {
          listen 127.0.0.1:${edge.port}
          host "*" {
            route /catalog/** { to catalog }
            route /web/** { to web }
            route /orders/** { to orders }
          }
        }
        allow edge -> catalog
        allow orders -> catalog
        call orders -> catalog { timeout TIMEOUT }
        """
            .replace("TIMEOUT", timeout)
        + (allowEdge ? "allow edge -> orders\n" : "");
  }

  /** The policy without orders: its service block, its route and every rule naming it gone. */
  private static final String WITHOUT_ORDERS =
      MESH
          + """
          gateway edge {
            listen 127.0.0.1:${edge.port}
            host "*" {
              route /catalog/** { to catalog }
              route /web/** { to web }
            }
          }
          allow edge -> catalog
          """;

  @TempDir static Path work;
  static ConsulDevAgent consul;
  static Backend web;
  static MeshStack mesh;

  @BeforeAll
  static void start() throws Exception {
    consul = ConsulDevAgent.start("zone-a");
    web = Backend.start("web");
    registerWeb();
    mesh =
        MeshStack.start(
            work,
            withOrders("1s", true),
            List.of("catalog", "orders"),
            List.of("edge"),
            "--consul",
            consul.address(),
            "--eds-coalesce",
            "50ms");
  }

  @AfterEach
  void envoysRejectedNothing() {
    mesh.assertNothingRejected();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      Closer.closeAll(mesh, web);
    } finally {
      if (consul != null) {
        consul.close();
      }
    }
  }

  @Test
  @Order(1)
  void aSidecarServiceRemovedAndReAddedGetsLaterChangesOnItsInboundAndOutboundListeners() {
    awaitOrdersServes();
    EnvoyProcess orders = mesh.envoy("orders");
    assertThat(outboundTimeouts(orders)).as("orders' outbound route timeouts").contains("1s");

    try (Traffic traffic = traffic("/catalog/x", "catalog")) {
      awaitRequests(traffic, 10);

      // Removed: its group vanishes while its sidecar stays connected.
      String before = policyVersion();
      mesh.updatePolicy(WITHOUT_ORDERS);
      awaitReload(before);
      Wait.until(
          APPLY_WITHIN,
          "orders' sidecar to drop its listeners (the service is gone)",
          () -> listenerCount(orders) == 0);
      awaitRequests(traffic, traffic.succeeded() + 10);

      // Re-added: the same sidecar serves again, inbound (from the gateway) and outbound.
      mesh.updatePolicyAndAwaitAcked(withOrders("1s", true));
      awaitOrdersServes();

      // A later change of each listener reaches the re-added sidecar: a longer call timeout
      // (its outbound routes) and the gateway's allow taken away (its inbound RBAC).
      mesh.updatePolicyAndAwaitAcked(withOrders("3s", false));
      Wait.until(
          APPLY_WITHIN,
          "orders' outbound route timeout to become 3s",
          () ->
              outboundTimeouts(orders).contains("3s") && !outboundTimeouts(orders).contains("1s"));
      Wait.until(
          APPLY_WITHIN,
          "orders' inbound to refuse the gateway (403)",
          () -> Http.get(mesh.gatewayUrl("edge", "/orders/x")).statusCode() == 403);
      MeshStack.ok(mesh.call("orders", "catalog", "GET", "/after-change"));

      // And back: the gateway may call orders again.
      mesh.updatePolicyAndAwaitAcked(withOrders("3s", true));
      awaitOrdersServes();

      traffic.stop();
      assertNoFailures(traffic, "edge -> catalog while orders was removed, re-added, changed");
    }
  }

  @Test
  @Order(2)
  void aConsulRestartKeepsEndpointsAndTheServerRecovers() throws Exception {
    Set<String> webHost = Set.of("127.0.0.1:" + web.port());
    Wait.until(
        APPLY_WITHIN, "edge's web cluster to list " + webHost, () -> hosts().equals(webHost));
    assertThat(stale()).isZero();

    try (Traffic traffic = traffic("/web/x", "web")) {
      awaitRequests(traffic, 10);

      consul.stopProcess();
      Wait.until(APPLY_WITHIN, "meshgate to report the Consul watch stale", () -> stale() == 1);
      awaitRequests(traffic, traffic.succeeded() + 25); // ~0.5 s served with Consul down

      // A new agent on the same ports comes back empty (dev mode); the instance registers again.
      consul.startProcess();
      registerWeb();
      // The watch may be in its retry backoff (up to 10 s) when Consul returns.
      Wait.until(Duration.ofSeconds(20), "the Consul watch to be fresh again", () -> stale() == 0);
      assertThat(mesh.meshgate().metric("meshgate_catalog_stale_seconds")).contains(0.0);
      awaitRequests(traffic, traffic.succeeded() + 10);
      assertThat(hosts()).as("edge's web hosts after the restart").isEqualTo(webHost);

      traffic.stop();
      assertNoFailures(traffic, "edge -> web (from Consul) across the Consul restart");
    }
  }

  @Test
  @Order(3)
  void aKillDashNineRestartOfTheServerPushesNoNewSecret() {
    mesh.awaitAllAcked();
    EnvoyProcess catalog = mesh.envoy("catalog");
    EnvoyProcess edge = mesh.envoy("edge");
    SortedMap<String, String> catalogSecrets = secretVersions(catalog);
    SortedMap<String, String> edgeSecrets = secretVersions(edge);
    assertThat(catalogSecrets).containsKeys("meshgate.identity", "meshgate.trust-bundle");
    assertThat(catalogSecrets.values())
        .as("version_info @ last_updated of catalog's secrets")
        .allMatch(v -> !v.startsWith(" @") && !v.endsWith("@ "));
    Map<String, String> catalogSdsVersions = sdsVersionGauges(catalog);
    Map<String, String> edgeSdsVersions = sdsVersionGauges(edge);
    long catalogUpdates = identityUpdates(catalog);
    Set<String> catalogSerials = catalog.servedCertSerials(mesh.member("catalog").spiffeId());
    assertThat(catalogSerials).isNotEmpty();

    try (Traffic traffic = traffic("/catalog/x", "catalog")) {
      awaitRequests(traffic, 10);
      mesh.killAndRestartServer();
      mesh.awaitAllAcked(RECONNECT_WITHIN);
      awaitRequests(traffic, traffic.succeeded() + 10);
      traffic.stop();
      assertNoFailures(traffic, "edge -> catalog (mTLS) across kill -9 and restart");
    }

    // Every Envoy reconnected to the new server (above); none got a secret it did not have.
    assertThat(secretVersions(catalog)).as("catalog's secrets").isEqualTo(catalogSecrets);
    assertThat(secretVersions(edge)).as("edge's secrets").isEqualTo(edgeSecrets);
    // The new server answers the reconnected stream's SDS request again (java-control-plane
    // responds to named resources on a new stream), but with the same version, which Envoy
    // does not apply: its version gauges and last_updated above stay, nothing is rejected.
    assertThat(sdsVersionGauges(catalog))
        .as("catalog's SDS version gauges")
        .isEqualTo(catalogSdsVersions);
    assertThat(sdsVersionGauges(edge)).as("edge's SDS version gauges").isEqualTo(edgeSdsVersions);
    assertThat(catalog.stats("^sds\\..*\\.update_rejected$", false).values()).containsOnly(0L);
    System.err.printf(
        "catalog's sds.meshgate.identity.update_success: %d before the restart, %d after%n",
        catalogUpdates, identityUpdates(catalog));
    assertThat(catalog.servedCertSerials(mesh.member("catalog").spiffeId()))
        .isEqualTo(catalogSerials);
    MeshStack.ok(mesh.call("orders", "catalog", "GET", "/after-restart"));
  }

  private static void registerWeb() throws Exception {
    consul.register("web-1", "web", web.port());
  }

  private static Traffic traffic(String path, String backend) {
    return Traffic.start(mesh.gatewayUrl("edge", path), backend, TRAFFIC_INTERVAL);
  }

  /** Polls until {@code traffic} has been served {@code count} times (it fails on the way out). */
  private static void awaitRequests(Traffic traffic, int count) {
    Wait.until(
        Duration.ofSeconds(20),
        count + " requests served (" + traffic.failures().size() + " failed)",
        () -> traffic.succeeded() >= count);
  }

  private static void assertNoFailures(Traffic traffic, String path) {
    System.err.printf(
        "%s: %d requests served, %d failed%n",
        path, traffic.succeeded(), traffic.failures().size());
    assertThat(traffic.failures()).as("failed requests on " + path).isEmpty();
    assertThat(traffic.succeeded()).as("requests served on " + path).isGreaterThan(20);
  }

  /** orders answers through the gateway (its inbound) and reaches catalog (its outbound). */
  private static void awaitOrdersServes() {
    Wait.until(
        APPLY_WITHIN,
        "orders to serve the gateway and to call catalog",
        () ->
            MeshStack.ok(Http.get(mesh.gatewayUrl("edge", "/orders/x")))
                    .path("backend")
                    .asText()
                    .equals("orders")
                && MeshStack.ok(mesh.call("orders", "catalog", "GET", "/x"))
                    .path("backend")
                    .asText()
                    .equals("catalog"));
  }

  private static String policyVersion() {
    return mesh.meshgate().status().at("/policy/version").asText();
  }

  private static void awaitReload(String before) {
    Wait.until(
        APPLY_WITHIN,
        "meshgate to reload the policy (version " + before + " before)",
        () -> {
          JsonNode status = mesh.meshgate().status();
          if (!status.at("/policy/lastReload/ok").asBoolean(false)) {
            throw new AssertionError("reload not ok: " + status.at("/policy/lastReload"));
          }
          return !status.at("/policy/version").asText().equals(before);
        });
  }

  /** Every route timeout in {@code envoy}'s route configs, as Envoy reports them ("1s"). */
  private static Set<String> outboundTimeouts(EnvoyProcess envoy) {
    Set<String> timeouts = new TreeSet<>();
    for (JsonNode config : envoy.configDump("RoutesConfigDump").path("dynamic_route_configs")) {
      for (JsonNode host : config.path("route_config").path("virtual_hosts")) {
        for (JsonNode route : host.path("routes")) {
          JsonNode timeout = route.path("route").path("timeout");
          if (!timeout.isMissingNode()) {
            timeouts.add(timeout.asText());
          }
        }
      }
    }
    return timeouts;
  }

  private static int listenerCount(EnvoyProcess envoy) {
    int count = 0;
    for (JsonNode listener : envoy.configDump("ListenersConfigDump").path("dynamic_listeners")) {
      if (listener.has("active_state") || listener.has("warming_state")) {
        count++;
      }
    }
    return count;
  }

  /** Secret name to "version_info @ last_updated", from the Envoy's config dump. */
  private static SortedMap<String, String> secretVersions(EnvoyProcess envoy) {
    SortedMap<String, String> versions = new TreeMap<>();
    for (JsonNode secret : envoy.configDump("SecretsConfigDump").path("dynamic_active_secrets")) {
      versions.put(
          secret.path("name").asText(),
          secret.path("version_info").asText() + " @ " + secret.path("last_updated").asText());
    }
    return versions;
  }

  /**
   * Envoy's {@code sds.<secret>.version} gauges: a hash of the version it applied last, an unsigned
   * 64-bit number (so kept as text).
   */
  private static Map<String, String> sdsVersionGauges(EnvoyProcess envoy) {
    String filter = URLEncoder.encode("^sds\\..*\\.version$", StandardCharsets.UTF_8);
    Map<String, String> gauges = new TreeMap<>();
    for (String line :
        Http.get(envoy.adminUrl("/stats?usedonly&filter=" + filter)).body().split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        gauges.put(line.substring(0, colon), line.substring(colon + 2).trim());
      }
    }
    assertThat(gauges).as("SDS version gauges of " + envoy.nodeId()).isNotEmpty();
    return gauges;
  }

  private static long identityUpdates(EnvoyProcess envoy) {
    return envoy.stat("sds.meshgate.identity.update_success").orElse(-1);
  }

  /** The hosts the edge Envoy has for cluster web, from /clusters. */
  private static Set<String> hosts() {
    return mesh.envoy("edge")
        .clusters()
        .lines()
        .filter(l -> l.startsWith("web::") && l.contains("::health_flags::"))
        .map(l -> l.split("::")[1])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static double stale() {
    return mesh.meshgate().metric("meshgate_catalog_stale_watches").orElse(-1.0);
  }
}
