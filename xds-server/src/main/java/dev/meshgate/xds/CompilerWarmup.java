package dev.meshgate.xds;

import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the JIT for the reload path (issue 17.1): after the first load, a low-priority daemon
 * thread compiles the loaded policy text again and again and throws the results away.
 *
 * <p>Why: in a fresh server the compiler runs interpreted, and the first edits took tens of
 * milliseconds to compile where a warm compile takes a few; those first edits are the ones an
 * operator sees right after a deploy. The results are never published, counted or logged per
 * compile: this class has no access to the publisher or the metrics, nor to the reloader but for a
 * volatile read of whether it is reloading (and so none to its lock), only to the {@link
 * PolicyCompiler}, which is stateless and makes the warm-up an incremental compiler of its own, so
 * a reload compiling at the same moment is not affected other than by sharing the CPU.
 *
 * <p>It compiles as the reloader does: it reads the policy files through a cache of its own, then
 * compiles on an {@link PolicyCompiler#incrementalOnTheCallersThread() incremental} compiler (all
 * on this thread: the budget is this thread's CPU), the first compile from scratch, each later one
 * an edit that adds a comment to one file after another, at its end or its start ({@link #edited}).
 * A comment changes no result, but an edit runs code a compile from scratch never does, the
 * comparisons that decide what to reuse, and costs a tenth of one, so the budget also runs the
 * checker three times as often: a fresh server's first edit took a median 123 ms where it took 212
 * ms after a warm-up of compiles from scratch (1,000 services, six pairs; docs/benchmarks.md,
 * 2026-12-07 evening).
 *
 * <p>It steps aside for real work: while a reload runs and for {@link #YIELD} after it (the push to
 * the proxies), and within {@link #YIELD} of an xDS connection becoming ready ({@link
 * ConnectionActivity}) or a proxy's stream opening or request arriving (a fleet reconnecting to a
 * restarted server: the warm-up's CPU budget would share the cores with the handshakes and first
 * answers), it compiles nothing. On 2 loaded cores, warm-up compiles beside the first edits'
 * reloads made those edits slower than no warm-up at all (docs/benchmarks.md); a server that is
 * being edited warms its JIT with the edits themselves.
 *
 * <p>Bounded: at most {@link Budget#compiles()} compiles and {@link Budget#cpu()} of this thread's
 * CPU, whichever comes first; it also stops after the first compile that fails, and at once when
 * the server closes. {@code -Dmeshgate.compile-warmup=N} sets the number of compiles (default
 * {@value #DEFAULT_COMPILES}); 0 turns the warm-up off.
 */
final class CompilerWarmup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompilerWarmup.class);

  static final String PROPERTY = "meshgate.compile-warmup";
  static final int DEFAULT_COMPILES = 300;

  /**
   * 3 s: 8 s made a fresh server's first edits at 1,000 services faster still but a 10,000-proxy
   * connect after it 0.8-3.6 s slower (docs/benchmarks.md, 2026-12-07 evening).
   */
  static final Duration DEFAULT_CPU = Duration.ofSeconds(3);

  /** How long after a reload the warm-up still waits: the push to the proxies follows it. */
  static final Duration YIELD = Duration.ofMillis(250);

  private static final long PAUSE_MILLIS = 10;

  /** How much warm-up: {@code compiles} zero means none. */
  record Budget(int compiles, Duration cpu) {
    static final Budget DEFAULT = new Budget(DEFAULT_COMPILES, DEFAULT_CPU);
    static final Budget NONE = new Budget(0, Duration.ZERO);

    Budget {
      if (compiles < 0 || cpu.isNegative()) {
        throw new IllegalArgumentException("negative warm-up budget: " + compiles + ", " + cpu);
      }
    }

    /** From {@value #PROPERTY}. */
    static Budget fromProperty() {
      return parse(System.getProperty(PROPERTY));
    }

    /**
     * The property's value: a number of compiles, at most the default (the CPU bound stays); unset
     * or not a number is the default, since a typo must not stop a server from starting.
     */
    static Budget parse(String value) {
      if (value == null || value.isBlank()) {
        return DEFAULT;
      }
      int compiles;
      try {
        compiles = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        LOG.warn("-D{}={} is not a number; using {}", PROPERTY, value, DEFAULT_COMPILES);
        return DEFAULT;
      }
      return compiles <= 0 ? NONE : new Budget(Math.min(compiles, DEFAULT_COMPILES), DEFAULT_CPU);
    }
  }

  private final PolicyCompiler compiler;
  private final List<Path> paths;
  private final List<Source> sources;
  private final Budget budget;
  private final BooleanSupplier reloading;
  private final AtomicInteger compiles = new AtomicInteger();
  private final Thread thread;
  private volatile boolean closed;

  private CompilerWarmup(
      PolicyCompiler compiler,
      List<Path> paths,
      List<Source> sources,
      Budget budget,
      BooleanSupplier reloading) {
    this.reloading = reloading;
    this.compiler = compiler;
    this.paths = List.copyOf(paths);
    this.sources = List.copyOf(sources);
    this.budget = budget;
    this.thread = new Thread(this::run, "meshgate-compiler-warmup");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
  }

  /**
   * Starts warming up on {@code sources} (the policy just loaded from {@code paths}), unless the
   * budget is none; {@code reloading} says when to step aside (a reload under way or just done,
   * proxies busy).
   */
  static CompilerWarmup start(
      PolicyCompiler compiler,
      List<Path> paths,
      List<Source> sources,
      Budget budget,
      BooleanSupplier reloading) {
    CompilerWarmup warmup = new CompilerWarmup(compiler, paths, sources, budget, reloading);
    if (budget.compiles() > 0 && !sources.isEmpty()) {
      warmup.thread.start();
    }
    return warmup;
  }

  /** Compiles done so far. */
  int compiles() {
    return compiles.get();
  }

  /** Waits for the warm-up to end (tests); true if it did within {@code timeout}. */
  boolean await(Duration timeout) throws InterruptedException {
    if (thread.getState() == Thread.State.NEW) {
      return true;
    }
    thread.join(timeout);
    return !thread.isAlive();
  }

  private void run() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    // Thread CPU is the budget (a loaded machine should not shorten the warm-up by wall time);
    // where the JVM cannot measure it, wall time bounds it instead.
    boolean cpuTime = mx.isCurrentThreadCpuTimeSupported();
    long start = cpuTime ? mx.getCurrentThreadCpuTime() : System.nanoTime();
    long started = System.nanoTime();
    String stopped = "the budget of " + budget.compiles() + " compiles";
    // An incremental compiler of its own, as the reloader has: its first compile is from scratch,
    // every later one an edit, which also runs the checks that decide what to reuse.
    PolicyCompiler edits = compiler.incrementalOnTheCallersThread();
    int edit = 0;
    while (!closed && compiles.get() < budget.compiles()) {
      if (reloading.getAsBoolean()) {
        try {
          Thread.sleep(PAUSE_MILLIS); // no CPU used, none counted; closing is seen within this
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      try {
        // Read through a file cache as the reloader does (the first edit after a start reads every
        // file again: they were new when first read). No file changes between these loads, so the
        // cache's "nothing looks changed: read everything" rule reads every file each time, within
        // the budget. Compiled is the text loaded at the start: discarded, never published.
        edits.load(paths);
        edits.compile(edited(sources, edit++));
      } catch (IOException e) {
        LOG.debug("compiler warm-up stopped: cannot read the policy", e);
        return;
      } catch (RuntimeException | Error e) {
        // The reload path reports compiler crashes; a warm-up has nothing to add.
        LOG.debug("compiler warm-up stopped: the compile failed", e);
        return;
      }
      compiles.incrementAndGet();
      if (used(mx, cpuTime, start) >= budget.cpu().toNanos()) {
        stopped = "the budget of " + budget.cpu().toMillis() + " ms of CPU";
        break;
      }
    }
    LOG.debug(
        "compiler warm-up: {} compiles in {} ms{}",
        compiles.get(),
        (System.nanoTime() - started) / 1_000_000,
        closed ? ", stopped by the server closing" : ", ended at " + stopped);
  }

  private static long used(ThreadMXBean mx, boolean cpuTime, long start) {
    return (cpuTime ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - start;
  }

  /**
   * The policy as the {@code n}th warm-up edit leaves it: the first as loaded, each later one with
   * a comment in one file, a file after another, added at its end (odd {@code n}) or at its start
   * (even). A comment changes no result, but the file is parsed again and its declarations, new
   * instances, are compared with the last compile's, as in an operator's edit; one at the start
   * moves every declaration of the file a line down, so they compare unequal, as an edited
   * declaration does. (With comments at the end only, every comparison in the warm-up came out
   * equal, and the JIT compiled the comparisons for that alone: in a JFR of a fresh server's first
   * real edit the JIT threw such code away, {@code ArrayList.equals} and {@code Optional.equals}
   * returning false for the first time among 21 deoptimisations in that edit's 0.16 s.)
   */
  static List<Source> edited(List<Source> sources, int n) {
    if (n == 0) {
      return sources;
    }
    int file = (n - 1) % sources.size();
    List<Source> version = new java.util.ArrayList<>(sources);
    Source source = sources.get(file);
    String comment = "# meshgate warm-up " + n + "\n";
    String text = n % 2 == 1 ? source.text() + "\n" + comment : comment + source.text();
    version.set(file, new Source(source.name(), text));
    return version;
  }

  /** Stops after the compile under way (one compile: milliseconds), without waiting for it. */
  @Override
  public void close() {
    closed = true;
  }
}
