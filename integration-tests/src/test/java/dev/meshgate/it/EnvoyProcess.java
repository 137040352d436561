package dev.meshgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * A real Envoy with its own admin port and base id, so several run side by side. Started from a
 * bootstrap YAML; {@link #start} returns once Envoy is LIVE and its listeners are active.
 */
final class EnvoyProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final ChildProcess process;
  private final String nodeId;
  private final int adminPort;

  private EnvoyProcess(ChildProcess process, String nodeId, int adminPort) {
    this.process = process;
    this.nodeId = nodeId;
    this.adminPort = adminPort;
  }

  /** A node id unique in this machine, for Envoys started by this JVM. */
  static String uniqueNodeId(String prefix) {
    return prefix + "-it-" + ProcessHandle.current().pid() + "-" + (COUNTER.get() + 1);
  }

  /**
   * Writes the bootstrap made by {@code bootstrap(adminPort)} to {@code workDir} and starts Envoy
   * on it; waits until /ready says LIVE and at least {@code listeners} listeners are active and
   * none is warming.
   */
  static EnvoyProcess start(
      String nodeId, IntFunction<String> bootstrap, Path workDir, int listeners) {
    Path binary = RequiredEnvoy.path();
    int adminPort = FreePorts.next();
    int n = COUNTER.incrementAndGet();
    String name = "envoy-" + n + "-" + nodeId;
    Path config = workDir.resolve(name + ".yaml");
    try {
      Files.createDirectories(workDir);
      Files.writeString(config, bootstrap.apply(adminPort), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // --base-id keeps the shared-memory regions of side-by-side Envoys apart; the dynamic one
    // (which wins when given) also avoids clashes with Envoys of other test JVMs.
    long baseId = (ProcessHandle.current().pid() % 10_000) * 100 + n;
    List<String> command =
        List.of(
            binary.toString(),
            "-c",
            config.toString(),
            "--base-id",
            Long.toString(baseId),
            "--use-dynamic-base-id",
            "--concurrency",
            "1",
            "-l",
            "warning",
            "--service-node",
            nodeId,
            // access logs (issue 15): log files are flushed every 200 ms rather than Envoy's
            // default 10 s, so a test reads its lines at once.
            "--file-flush-interval-msec",
            "200");
    ChildProcess child =
        ChildProcess.start(name, command, workDir.resolve(name + ".log"), Duration.ofSeconds(5));
    EnvoyProcess envoy = new EnvoyProcess(child, nodeId, adminPort);
    try {
      envoy.awaitReady(listeners);
    } catch (AssertionError | RuntimeException e) {
      // A child that died has its log in the message already.
      String log = e instanceof ChildProcess.Died ? "" : "\nlog:\n" + child.tail(200);
      child.close();
      throw new AssertionError(name + " did not become ready: " + e.getMessage() + log, e);
    }
    return envoy;
  }

  private void awaitReady(int listeners) {
    Wait.until(
        START_TIMEOUT,
        "Envoy LIVE with "
            + listeners
            + " active listener(s), none warming (admin port "
            + adminPort
            + ")",
        () -> {
          process.requireAlive("while starting");
          HttpResponse<String> ready = Http.get(adminUrl("/ready"));
          if (ready.statusCode() != 200 || !ready.body().trim().equals("LIVE")) {
            return Optional.empty();
          }
          long active = stat("listener_manager.total_listeners_active").orElse(0);
          long warming = stat("listener_manager.total_listeners_warming").orElse(0);
          return active >= listeners && warming == 0 ? Optional.of(true) : Optional.empty();
        });
  }

  String nodeId() {
    return nodeId;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int adminPort() {
    return adminPort;
  }

  String adminUrl(String path) {
    return "http://127.0.0.1:" + adminPort + path;
  }

  private String admin(String path) {
    process.requireAlive("when asked for " + path);
    HttpResponse<String> response = Http.get(adminUrl(path));
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "Envoy admin " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** Counters and gauges whose name matches {@code regex} (Envoy's /stats filter). */
  Map<String, Long> stats(String regex) {
    return stats(regex, true);
  }

  /** As {@link #stats(String)}; {@code usedOnly} false also lists stats never written to. */
  Map<String, Long> stats(String regex, boolean usedOnly) {
    Map<String, Long> stats = new TreeMap<>();
    String body =
        admin(
            "/stats?"
                + (usedOnly ? "usedonly&" : "")
                + "filter="
                + URLEncoder.encode(regex, StandardCharsets.UTF_8));
    for (String line : body.split("\n")) {
      int colon = line.lastIndexOf(": ");
      if (colon < 0) {
        continue;
      }
      String value = line.substring(colon + 2).trim();
      if (value.matches("-?[0-9]+")) { // histograms print summaries, not numbers
        stats.put(line.substring(0, colon).trim(), Long.parseLong(value));
      }
    }
    return stats;
  }

  /** One counter or gauge, by exact name. */
  OptionalLong stat(String name) {
    // Not usedonly: a gauge still at 0 (no listener warming) must be found too.
    Long value = stats("^" + Pattern.quote(name) + "$", false).get(name);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  /**
   * Time since this Envoy process started, from /server_info (computed when asked; the {@code
   * server.uptime} gauge is only refreshed at each 5 s stats flush).
   */
  Duration uptime() {
    JsonNode info = serverInfo();
    String value = info.path("uptime_current_epoch").asText("");
    if (!value.matches("[0-9]+(\\.[0-9]+)?s")) {
      throw new AssertionError("no uptime_current_epoch in /server_info: " + info);
    }
    return Duration.ofMillis(
        Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
  }

  /** /server_info as JSON: state, uptime, hot restart epoch, command line. */
  JsonNode serverInfo() {
    try {
      return Http.JSON.readTree(admin("/server_info"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** /clusters as text (one line per host and property). */
  String clusters() {
    return admin("/clusters");
  }

  /** /config_dump (with EDS) as JSON. */
  JsonNode configDump() {
    try {
      return Http.JSON.readTree(admin("/config_dump?include_eds"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The part of /config_dump whose {@code @type} ends with {@code type}, e.g. {@code
   * ClustersConfigDump}, {@code SecretsConfigDump}; a missing node when Envoy has none.
   */
  JsonNode configDump(String type) {
    for (JsonNode config : configDump().path("configs")) {
      if (config.path("@type").asText().endsWith("." + type)) {
        return config;
      }
    }
    return MissingNode.getInstance();
  }

  /** Names of the clusters Envoy received over xDS and is using (static ones excluded). */
  SortedSet<String> dynamicClusterNames() {
    SortedSet<String> names = new TreeSet<>();
    for (JsonNode c : configDump("ClustersConfigDump").path("dynamic_active_clusters")) {
      names.add(c.path("cluster").path("name").asText());
    }
    return names;
  }

  /** Names of the secrets Envoy received over SDS and is using. */
  SortedSet<String> dynamicSecretNames() {
    SortedSet<String> names = new TreeSet<>();
    for (JsonNode secret : configDump("SecretsConfigDump").path("dynamic_active_secrets")) {
      names.add(secret.path("name").asText());
    }
    return names;
  }

  /** /certs as JSON: every certificate Envoy's TLS contexts hold, with serials and SANs. */
  JsonNode certs() {
    try {
      return Http.JSON.readTree(admin("/certs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The certificates this Envoy presents ({@code cert_chain} entries of /certs: serial_number,
   * valid_from, expiration_time, subject_alt_names) whose subject alternative names include the URI
   * {@code uriSan}, e.g. a SPIFFE ID.
   */
  List<JsonNode> servedCerts(String uriSan) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode context : certs().path("certificates")) {
      for (JsonNode cert : context.path("cert_chain")) {
        for (JsonNode san : cert.path("subject_alt_names")) {
          if (san.path("uri").asText().equals(uriSan)) {
            found.add(cert);
          }
        }
      }
    }
    return found;
  }

  /** Serial numbers of {@link #servedCerts}. */
  SortedSet<String> servedCertSerials(String uriSan) {
    SortedSet<String> serials = new TreeSet<>();
    servedCerts(uriSan).forEach(c -> serials.add(c.path("serial_number").asText()));
    return serials;
  }

  /** /listeners as JSON. */
  JsonNode listeners() {
    try {
      return Http.JSON.readTree(admin("/listeners?format=json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Envoy NACKed nothing: every {@code *update_rejected} counter (LDS, CDS, RDS per route config,
   * EDS per cluster) is 0. Run after every test.
   */
  void assertNothingRejected() {
    Map<String, Long> all = stats("update_rejected", false);
    // Guards against a vacuous pass: these two exist as soon as ADS is configured.
    for (String required :
        List.of("listener_manager.lds.update_rejected", "cluster_manager.cds.update_rejected")) {
      if (!all.containsKey(required)) {
        throw new AssertionError(
            "Envoy " + nodeId + " has no stat " + required + "; update_rejected stats: " + all);
      }
    }
    Map<String, Long> rejected = new TreeMap<>(all);
    rejected.values().removeIf(v -> v == 0);
    if (!rejected.isEmpty()) {
      throw new AssertionError(
          "Envoy "
              + nodeId
              + " rejected configuration: "
              + rejected
              + "\nEnvoy log:\n"
              + process.tail(80));
    }
  }

  /**
   * Envoy fetched its config over TLS: its xDS cluster completed at least one TLS handshake (the
   * server requires a client certificate, so that was mutual TLS).
   */
  void assertXdsOverTls() {
    long handshakes = stat("cluster.meshgate_xds.ssl.handshake").orElse(0);
    if (handshakes < 1) {
      throw new AssertionError(
          "Envoy "
              + nodeId
              + " made no TLS handshake with meshgate (cluster.meshgate_xds.ssl.handshake = "
              + handshakes
              + "); xDS stats: "
              + stats("^cluster\\.meshgate_xds\\."));
    }
  }

  String logTail() {
    return process.tail(200);
  }

  @Override
  public void close() {
    process.close();
  }
}
