package dev.meshgate.benchmarks;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The CPU both processes used over one timed change, from {@code /proc} (JIT compiler and collector
 * threads included), when the server runs in its own JVM: the simulated Envoys share the machine's
 * cores with the server, and an edit of every group at 10,000 proxies keeps both of 2 cores busy
 * from start to end (docs/benchmarks.md, 2026-12-08), so the share of each says whether a change is
 * bound by the server or by the machine.
 */
final class ChangeCpu {
  private final String what;
  private final long serverPid;
  private final long harnessPid = ProcessHandle.current().pid();
  private final long startNanos = System.nanoTime();
  private final long serverStart;
  private final long harnessStart;
  private Optional<String> line = Optional.empty();
  private boolean ended;

  private ChangeCpu(String what, long serverPid) throws IOException {
    this.what = what;
    this.serverPid = serverPid;
    this.serverStart = ProcessCpu.millis(serverPid);
    this.harnessStart = ProcessCpu.millis(harnessPid);
  }

  /** From now, when the server has a process of its own and its CPU can be read. */
  static Optional<ChangeCpu> start(String what, HarnessServer server) {
    if (server.processId().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ChangeCpu(what, server.processId().getAsLong()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // no /proc: the report goes without this line
    }
  }

  /**
   * Until now; only the first call counts. Called when every expected proxy has the change (and,
   * when only some proxies expect it, after the fleet's wait for bystanders).
   */
  void end() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      long serverMs = ProcessCpu.millis(serverPid) - serverStart;
      long harnessMs = ProcessCpu.millis(harnessPid) - harnessStart;
      double wallMs = (System.nanoTime() - startNanos) / 1e6;
      line =
          Optional.of(
              String.format(
                  Locale.ROOT,
                  "%s: process CPU over its %.0f ms: server %d ms, simulated Envoys %d ms (%.1f of"
                      + " %d cores busy)",
                  what,
                  wallMs,
                  serverMs,
                  harnessMs,
                  (serverMs + harnessMs) / wallMs,
                  Runtime.getRuntime().availableProcessors()));
    } catch (IOException | RuntimeException e) {
      // the server is gone: nothing to say
    }
  }

  /** The report line, once {@link #end} measured one. */
  Optional<String> line() {
    return line;
  }
}
