package dev.meshgate.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The load harness after every proxy connected: the timed policy edits (and, for the simple shape,
 * endpoint changes), the realistic shape's endpoint churn, the reconnect storm, and the {@link
 * XdsLoadHarness.Result}. The server may run in this JVM or its own ({@link HarnessServer}): its
 * heap and CPU are asked of it, the proxies' arrivals are seen here.
 */
final class HarnessRounds {
  private static final String COMPILE_METRIC = "meshgate_policy_compile_duration_seconds";

  private final XdsLoadHarness.Options options;
  private final PrintStream log;
  private final HarnessPolicy policy;
  private final Path policyDir;
  private final Path work;
  private final HarnessServer server;
  private final SimulatedFleet envoys;
  private final HarnessChannels channels;

  HarnessRounds(
      XdsLoadHarness.Options options,
      PrintStream log,
      HarnessPolicy policy,
      Path policyDir,
      Path work,
      HarnessServer server,
      SimulatedFleet envoys,
      HarnessChannels channels) {
    this.options = options;
    this.log = log;
    this.policy = policy;
    this.policyDir = policyDir;
    this.work = work;
    this.server = server;
    this.envoys = envoys;
    this.channels = channels;
  }

  XdsLoadHarness.Result run(
      long deadline, int groups, XdsLoadHarness.Connected connected, long heapIdle)
      throws IOException, InterruptedException {
    int served = connected.latencies().size();
    List<XdsLoadHarness.Fanout> changes = new ArrayList<>();
    URI metrics = URI.create("http://127.0.0.1:" + server.adminPort() + "/metrics");
    HttpClient http = HttpClient.newHttpClient();
    // Before the settle, not after it: the server's first scrape compiles the metrics code (about
    // 600 JIT compiles), and right before the first edit that JIT work went into the edit's time.
    ServeProcess.Totals compiles = ServeProcess.totals(http, metrics, COMPILE_METRIC, "");
    if (options.rounds() > 0 && !options.settle().isZero()) {
      // A server up a while: its compiler warm-up steps aside while proxies connect and while
      // edits come, so without this the first edits meet it cold.
      long left = Math.max(0, deadline - System.nanoTime());
      long settle = Math.min(options.settle().toNanos(), left);
      log.printf(Locale.ROOT, "settling %.1f s before the first edit%n", settle / 1e9);
      TimeUnit.NANOSECONDS.sleep(settle);
    }
    HarnessCpu cpu = new HarnessCpu(server::cpu);
    int endpointCount = 2;
    for (int round = 1; round <= options.rounds() && served == envoys.size(); round++) {
      Predicate<SimulatedEnvoy> editedProxies = policy.editedProxies(round);
      HarnessCpu.Window editCpu =
          cpu.start("policy edits", (int) envoys.envoys().stream().filter(editedProxies).count());
      SimulatedFleet.Change change = policy.edit(policyDir, work, round);
      Optional<ChangeCpu> both = ChangeCpu.start("policy edit " + round, server);
      XdsLoadHarness.Fanout edit =
          envoys.timeChange(
              "policy edit " + round,
              SimulatedEnvoy.RDS,
              deadline,
              change,
              editedProxies,
              () -> {
                both.ifPresent(ChangeCpu::end); // before the heap is weighed: a full collection
                return server.usedHeapAfterGc();
              });
      changes.add(edit);
      log.println(HarnessReport.describe(edit));
      log.println(editCpu.end(edit.what()));
      both.flatMap(ChangeCpu::line).ifPresent(log::println);
      if (!edit.complete()) {
        break;
      }
      if (policy.realistic().isPresent()) {
        continue; // the realistic shape's endpoints change in the churn below
      }
      int count = ++endpointCount;
      HarnessCpu.Window endpointCpu = cpu.start("endpoint changes", envoys.size());
      XdsLoadHarness.Fanout endpoints =
          envoys.timeChange(
              "endpoint change " + round,
              SimulatedEnvoy.EDS,
              deadline,
              () -> server.set("backend", HarnessPolicy.backendEndpoints(count)),
              e -> true,
              server::usedHeapAfterGc);
      changes.add(endpoints);
      log.println(HarnessReport.describe(endpoints));
      log.println(endpointCpu.end(endpoints.what()));
      if (!endpoints.complete()) {
        break;
      }
    }

    // What the edits left in the server's heap (it grew by about 40 MiB over the first edit at
    // 1,000 services): against connected.txt.
    if (!changes.isEmpty() && options.serverJvm().histograms().isPresent()) {
      server.histogram(options.serverJvm().histograms().get().resolve("edited.txt"));
    }

    // Where an edit's time goes: the server's own compile of the policy, the rest is publish
    // and push.
    ServeProcess.totals(http, metrics, COMPILE_METRIC, "")
        .meanSince(compiles)
        .ifPresent(seconds ->
            log.printf(
                Locale.ROOT,
                "the server's mean policy compile over the edits: %.0f ms%n",
                seconds * 1000));

    Optional<XdsLoadHarness.Churn> churn = Optional.empty();
    if (options.shape() instanceof XdsLoadHarness.Shape.Realistic r
        && served == envoys.size()
        && !r.churn().isZero()) {
      RealisticMesh mesh = policy.realistic().orElseThrow();
      churn = Optional.of(new EndpointChurn(mesh, server, envoys).run(r, deadline));
      log.println(HarnessReport.describe(churn.get()));
    }
    Optional<XdsLoadHarness.Storm> storm = Optional.empty();
    if (options.reconnectStorm() && served == envoys.size()) {
      // Not a push: measured apart from the summary's per-push figures.
      HarnessCpu.Window stormCpu = new HarnessCpu(server::cpu).start("storm", envoys.size());
      storm = Optional.of(envoys.reconnectStorm(server.xdsPort(), channels, deadline));
      log.println(HarnessReport.describe(storm.get()));
      log.println(stormCpu.end("reconnect storm"));
      // The report's row is the last storm's: each one before it is printed above it.
      for (int again = 1; again < options.reconnectStorms() && storm.get().complete(); again++) {
        stormCpu = new HarnessCpu(server::cpu).start("storm", envoys.size());
        storm = Optional.of(envoys.reconnectStorm(server.xdsPort(), channels, deadline));
        log.println(HarnessReport.describe(storm.get()));
        log.println(stormCpu.end("reconnect storm"));
      }
    }

    log.println(cpu.summary());
    SimulatedFleet.Tally tally = envoys.tally();
    List<String> failures = new ArrayList<>(tally.failures());
    if (System.nanoTime() - deadline > 0) {
      // first: the streams the harness then closed are listed after it
      failures.add(0, "the run hit --duration " + options.duration() + " before it completed");
    }
    return new XdsLoadHarness.Result(
        options,
        groups,
        server.startMs(),
        served,
        connected.allServedMs(),
        HarnessMetrics.percentile(connected.latencies(), 0.50),
        HarnessMetrics.percentile(connected.latencies(), 0.99),
        server.heapBaselineBytes(),
        connected.heapBytes(),
        changes,
        tally.resourcesByProxy(),
        tally.responses(),
        failures,
        heapIdle,
        churn,
        storm,
        tally.reopened());
  }
}
