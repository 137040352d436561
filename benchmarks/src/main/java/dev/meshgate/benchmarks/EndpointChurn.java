package dev.meshgate.benchmarks;

import dev.meshgate.discovery.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Consul-like endpoint churn on the realistic mesh: every 100 ms, enough endpoints are replaced
 * (one endpoint of a random service gets a new port, as an instance that restarts elsewhere) to
 * change {@code churnPercent} of all endpoints per second. Each replacement is expected by every
 * proxy whose EDS has that service; the response that first carries the new port is its ACK, timed
 * from the catalog's push (the server's endpoint coalescing window included).
 *
 * <p>Bounded: the churn lasts {@code churn}, then waits until every expectation is met or the
 * deadline. Seeded: the same seed changes the same endpoints in the same order.
 */
final class EndpointChurn {
  private static final long TICK_NANOS = 100_000_000L;

  private final RealisticMesh mesh;
  private final HarnessEndpoints catalog;
  private final SimulatedFleet fleet;

  EndpointChurn(RealisticMesh mesh, HarnessEndpoints catalog, SimulatedFleet fleet) {
    this.mesh = mesh;
    this.catalog = catalog;
    this.fleet = fleet;
  }

  /** The ACK latencies and counts, fed by the proxies' gRPC threads. */
  private static final class Sink implements SimulatedEnvoy.ChurnSink {
    private final List<Long> latencies = new ArrayList<>();
    private long superseded;

    @Override
    public synchronized void acked(long nanos) {
      latencies.add(nanos);
    }

    @Override
    public synchronized void superseded() {
      superseded++;
    }

    synchronized List<Long> latencies() {
      return List.copyOf(latencies);
    }

    synchronized long supersededCount() {
      return superseded;
    }
  }

  XdsLoadHarness.Churn run(XdsLoadHarness.Shape.Realistic shape, long deadline)
      throws InterruptedException {
    List<SimulatedEnvoy> envoys = fleet.envoys();
    Map<String, List<SimulatedEnvoy>> subscribers = new HashMap<>();
    for (SimulatedEnvoy e : envoys) {
      for (String service : e.subscribed(SimulatedEnvoy.EDS)) {
        subscribers.computeIfAbsent(service, s -> new ArrayList<>()).add(e);
      }
    }
    List<List<Endpoint>> current = new ArrayList<>();
    for (int i = 0; i < mesh.services(); i++) {
      current.add(new ArrayList<>(mesh.endpoints(i)));
    }
    int endpoints = mesh.services() * mesh.endpointsPerService();
    double perTick = endpoints * shape.churnPercent() / 100.0 * TICK_NANOS / 1e9;
    SplittableRandom random = new SplittableRandom(shape.seed());
    long nextPort = endpoints;
    Sink sink = new Sink();
    long expected = 0;
    int changes = 0;
    double owed = 0;
    long start = System.nanoTime();
    long end = start + shape.churn().toNanos();
    for (long tick = start; tick - end < 0 && tick - deadline < 0; tick += TICK_NANOS) {
      long wait = tick - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      owed += perTick;
      for (; owed >= 1; owed--) {
        int service = random.nextInt(mesh.services());
        List<Endpoint> list = current.get(service);
        int port = RealisticMesh.port(nextPort++);
        list.set(random.nextInt(list.size()), Endpoint.of("127.0.0.1", port));
        String name = RealisticMesh.name(service);
        long changedAt = System.nanoTime();
        for (SimulatedEnvoy e : subscribers.getOrDefault(name, List.of())) {
          e.expect(name, port, changedAt, sink);
          expected++;
        }
        catalog.set(name, list);
        changes++;
      }
    }
    double seconds = HarnessMetrics.millis(System.nanoTime() - start) / 1000;
    while (System.nanoTime() - deadline < 0
        && envoys.stream().anyMatch(e -> e.pending() > 0 && e.failure() == null)) {
      Thread.sleep(5);
    }
    long pending = envoys.stream().mapToLong(SimulatedEnvoy::pending).sum();
    List<Long> latencies = sink.latencies();
    return new XdsLoadHarness.Churn(
        changes,
        endpoints,
        seconds,
        expected,
        latencies.size(),
        sink.supersededCount(),
        pending,
        HarnessMetrics.percentile(latencies, 0.50),
        HarnessMetrics.percentile(latencies, 0.99),
        HarnessMetrics.percentile(latencies, 1.0));
  }
}
