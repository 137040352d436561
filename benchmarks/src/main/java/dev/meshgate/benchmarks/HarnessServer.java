package dev.meshgate.benchmarks;

import dev.meshgate.xds.PolicyRejectedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server under load, as the harness drives it: in the harness's own JVM ({@link
 * InProcessServer}, the first design, where the simulated Envoys share its heap, cores and
 * open-file limit), or in a JVM of its own ({@link ForkedServer}, {@code --server-process}), where
 * heap and CPU are the server's alone.
 */
sealed interface HarnessServer extends HarnessEndpoints, AutoCloseable
    permits InProcessServer, ForkedServer {

  /**
   * Starts the server on {@code policyDir} (its CA in {@code caDir}) with the endpoints {@code
   * policy} seeds, the way {@code options} say; weighs the heap before the start.
   */
  static HarnessServer start(
      XdsLoadHarness.Options options,
      HarnessPolicy policy,
      Path policyDir,
      Path caDir,
      PrintStream log)
      throws IOException, InterruptedException, PolicyRejectedException {
    return options.serverJvm().own()
        ? ForkedServer.start(options, policy, policyDir, caDir, log)
        : InProcessServer.start(options, policy, policyDir, caDir);
  }

  int xdsPort();

  int adminPort();

  /** How long the server's start took (compile, CA, ports), in ms, measured where it ran. */
  double startMs();

  /** The server's JVM's used heap after GC before the server started (its catalog seeded). */
  long heapBaselineBytes();

  /** The server's JVM's used heap after a full GC, now. */
  long usedHeapAfterGc();

  /**
   * As {@link #usedHeapAfterGc}, once the server's compiler warm-up has ended (at most {@link
   * #WARMUP_WAIT}): the idle server's heap, without a warm-up compile in progress.
   */
  long idleHeapAfterGc();

  Duration WARMUP_WAIT = Duration.ofMinutes(2);

  /** The server's JVM's threads' CPU time now (see {@link HarnessCpu}). */
  HarnessCpu.Sample cpu();

  /** Writes the server's JVM's class histogram (after a full GC) to {@code file}. */
  void histogram(Path file) throws IOException;

  /** Where it runs, for the report. */
  String where();

  /** The server's own process, when it runs in one (its CPU then reads from {@code /proc}). */
  java.util.OptionalLong processId();

  @Override
  void close() throws InterruptedException;
}
