package dev.meshgate.benchmarks;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.xds.MeshgateServer;
import dev.meshgate.xds.PolicyRejectedException;
import dev.meshgate.xds.ServerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The server in the harness's JVM: simplest, but its heap and threads' CPU are measured with the
 * simulated Envoys' own (an upper bound of the server's), and one process holds both ends of every
 * connection.
 */
final class InProcessServer implements HarnessServer {
  private final MeshgateServer server;
  private final HarnessCatalog catalog;
  private final double startMs;
  private final long heapBaseline;

  private InProcessServer(
      MeshgateServer server, HarnessCatalog catalog, double startMs, long heapBaseline) {
    this.server = server;
    this.catalog = catalog;
    this.startMs = startMs;
    this.heapBaseline = heapBaseline;
  }

  static InProcessServer start(
      XdsLoadHarness.Options options, HarnessPolicy policy, Path policyDir, Path caDir)
      throws IOException, PolicyRejectedException {
    HarnessCatalog catalog = new HarnessCatalog();
    policy.seed(catalog);
    long heapBaseline = HarnessMetrics.usedHeapAfterGc();
    ServerOptions serverOptions =
        ServerOptions.loopback(List.of(policyDir), caDir)
            .withInsecureXds(options.insecure())
            .withReloadDebounce(options.debounce());
    long startNanos = System.nanoTime();
    boolean started = false;
    try {
      MeshgateServer server = MeshgateServer.start(serverOptions, catalog);
      started = true;
      return new InProcessServer(
          server, catalog, HarnessMetrics.millis(System.nanoTime() - startNanos), heapBaseline);
    } finally {
      if (!started) {
        catalog.close();
      }
    }
  }

  @Override
  public void set(String service, List<Endpoint> endpoints) {
    catalog.set(service, endpoints);
  }

  @Override
  public int xdsPort() {
    return server.xdsPort();
  }

  @Override
  public int adminPort() {
    return server.adminPort();
  }

  @Override
  public double startMs() {
    return startMs;
  }

  @Override
  public long heapBaselineBytes() {
    return heapBaseline;
  }

  @Override
  public long usedHeapAfterGc() {
    return HarnessMetrics.usedHeapAfterGc();
  }

  @Override
  public long idleHeapAfterGc() {
    return HarnessMetrics.idleHeapAfterGc(WARMUP_WAIT);
  }

  @Override
  public HarnessCpu.Sample cpu() {
    return HarnessCpu.local();
  }

  @Override
  public void histogram(Path file) throws IOException {
    HarnessMetrics.writeClassHistogram(file);
  }

  @Override
  public java.util.OptionalLong processId() {
    return java.util.OptionalLong.empty(); // the harness's own JVM
  }

  @Override
  public String where() {
    return "in-process";
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      catalog.close();
    }
  }
}
