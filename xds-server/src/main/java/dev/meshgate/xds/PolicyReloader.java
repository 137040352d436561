package dev.meshgate.xds;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Load, compile, publish. A reload never throws: a policy with errors, unreadable files or a
 * compiler crash are logged and recorded in {@link #lastReload()}, and the server keeps serving the
 * last good policy.
 */
final class PolicyReloader {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReloader.class);

  /** Replaced by {@link #replace} (a new bundle); read under this object's lock. */
  private List<Path> paths;

  private final PolicyCompiler compiler;
  private final Publisher publisher;
  private final Metrics metrics;
  private final Clock clock;
  private final RemovalGuard guard;

  private volatile LastReload lastReload;

  /** What triggered the reload under way, for its log line: files (watched) or a bundle. */
  private String source = "files";

  /**
   * Told each policy that becomes the served one (global rate limits, issue 13: the rate-limit
   * service's configuration follows it).
   */
  private java.util.function.Consumer<CompiledPolicy> onServed = policy -> {};

  /** The policy being served, to compare a reload with (and for the admin API's /explain). */
  private volatile CompiledPolicy served;

  /**
   * Whether a reload runs, and when the last one ended ({@link System#nanoTime()}): read without
   * the lock, by {@link CompilerWarmup}, which steps aside for reloads.
   */
  private volatile boolean reloading;

  private volatile long reloadEndedNanos = System.nanoTime();

  /** The sources of the last compile attempt: a reload of the same text is skipped. */
  private List<Source> lastSources;

  PolicyReloader(
      List<Path> paths,
      PolicyCompiler compiler,
      Publisher publisher,
      Metrics metrics,
      Clock clock) {
    this(paths, compiler, publisher, metrics, clock, RemovalGuard.DEFAULT);
  }

  PolicyReloader(
      List<Path> paths,
      PolicyCompiler compiler,
      Publisher publisher,
      Metrics metrics,
      Clock clock,
      RemovalGuard guard) {
    this.guard = guard;
    this.paths = List.copyOf(paths);
    // Each reload compiles incrementally: an edit re-parses its files and re-translates the
    // groups it touches (issue 17.1).
    this.compiler = compiler.incremental();
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Set before {@link #initial()}: what else follows the served policy. */
  void onServed(java.util.function.Consumer<CompiledPolicy> listener) {
    this.onServed = listener;
  }

  /**
   * The first load: unlike a reload, failure is the caller's problem. Returns the sources it served
   * (what {@link CompilerWarmup} compiles).
   */
  synchronized List<Source> initial() throws IOException, PolicyRejectedException {
    List<Source> sources = compiler.load(paths);
    Compilation compilation = compile(sources);
    if (compilation.hasErrors()) {
      throw new PolicyRejectedException(compilation.diagnostics());
    }
    logWarnings(compilation);
    served = compilation.policy().orElseThrow();
    publisher.apply(served);
    onServed.accept(served);
    lastSources = sources;
    lastReload = new LastReload(true, clock.instant(), compilation.diagnostics(), Optional.empty());
    String version = publisher.view().policyVersion();
    reloadLine(LOG.atInfo(), "ok", version, "start")
        .log("policy loaded from {}: version {}", paths, version);
    return sources;
  }

  /**
   * When one more load would find settled the files the last load read while they were new (a
   * policy written just before the server started): a reload then reads them once more, where
   * otherwise the first edit would. Empty when there are none.
   */
  synchronized Optional<java.time.Duration> untilReadsSettle() {
    return compiler.untilReadsSettle();
  }

  /** Compiles, counting the result and timing it (a crash, a bug in meshgate, is not timed). */
  private Compilation compile(List<Source> sources) {
    long start = System.nanoTime();
    Compilation compilation;
    try {
      compilation = compiler.compile(sources);
    } catch (RuntimeException | Error e) {
      metrics.compileCrashed();
      throw e;
    }
    metrics.compileTook(java.time.Duration.ofNanos(System.nanoTime() - start));
    metrics.compiled(!compilation.hasErrors());
    return compilation;
  }

  LastReload lastReload() {
    return lastReload;
  }

  /** The policy being served (set once {@link #initial()} returned). */
  CompiledPolicy served() {
    return served;
  }

  /** A reload runs, or one ended less than {@code after} ago. Never blocks. */
  boolean reloadingWithin(java.time.Duration after) {
    return reloading || System.nanoTime() - reloadEndedNanos < after.toNanos();
  }

  synchronized void reload() {
    reloading = true;
    try {
      reloadLocked();
    } finally {
      reloadEndedNanos = System.nanoTime();
      reloading = false;
    }
  }

  private void reloadLocked() {
    long start = System.nanoTime();
    try {
      List<Source> sources;
      try {
        sources = compiler.load(paths);
      } catch (IOException e) {
        lastSources = null; // whatever comes back next must be compiled
        fail(List.of(), "cannot read the policy: " + describe(e));
        return;
      }
      if (sources.equals(lastSources)) {
        LOG.debug("policy files touched but unchanged; nothing to do");
        return;
      }
      lastSources = sources;
      long read = System.nanoTime();
      Compilation compilation = compile(sources);
      long compiled = System.nanoTime();
      if (compilation.hasErrors()) {
        for (Diagnostic d : compilation.diagnostics()) {
          LOG.warn("{}", d.render());
        }
        fail(compilation.diagnostics(), null);
        return;
      }
      logWarnings(compilation);
      CompiledPolicy next = compilation.policy().orElseThrow();
      Optional<String> hold = guard.holdReason(served, next);
      if (hold.isPresent()) {
        metrics.held(true);
        lastReload = new LastReload(false, clock.instant(), compilation.diagnostics(), hold, true);
        String still = publisher.view().policyVersion();
        reloadLine(LOG.atWarn(), "held", still)
            .log("policy reload {}; still serving version {}", hold.get(), still);
        return;
      }
      String before = publisher.view().policyVersion();
      publisher.apply(next);
      long published = System.nanoTime();
      served = next;
      onServed.accept(next);
      metrics.held(false);
      lastReload =
          new LastReload(true, clock.instant(), compilation.diagnostics(), Optional.empty());
      String after = publisher.view().policyVersion();
      reloadLine(LOG.atInfo(), "ok", after)
          .addKeyValue("previous", before)
          .log(
              after.equals(before)
                  ? "policy reloaded: version {} (no change to what proxies get)"
                  : "policy reloaded: version {}",
              after);
      // Where an edit's milliseconds go (issue 17.1); ReloadTrigger adds the wait before this.
      LOG.debug(
          "reload timing: read {} ms, compile {} ms, publish {} ms",
          Millis.of(read - start),
          Millis.of(compiled - read),
          Millis.of(published - compiled));
    } catch (RuntimeException | Error e) {
      // A compiler bug or a policy the server cannot serve: keep serving, say why.
      lastSources = null;
      String still = publisher.view().policyVersion();
      reloadLine(LOG.atError(), "crash", still)
          .setCause(e)
          .log("policy reload failed; still serving version {}", still);
      fail(List.of(), describe(e));
    }
  }

  /**
   * Switches to another set of policy paths (a freshly unpacked bundle) and compiles it at once,
   * under the same lock as {@link #reload()}, so no reload ever reads a mix of the two. When the
   * new policy is not served (errors, held, a crash) the old paths stay and {@link #lastReload()}
   * says why; the sources are compiled even when their text is the one served.
   */
  synchronized LastReload replace(List<Path> next) {
    List<Path> before = paths;
    paths = List.copyOf(next);
    lastSources = null;
    source = "bundle";
    try {
      reload();
    } finally {
      source = "files";
    }
    if (!lastReload.ok()) {
      paths = before;
      lastSources = null;
    }
    return lastReload;
  }

  /**
   * Records a policy that never got as far as the compiler (a bundle that failed download or
   * verification): logged, reported in /status, and the served policy stays.
   */
  synchronized void rejected(String reason) {
    source = "bundle";
    try {
      fail(List.of(), reason);
    } finally {
      source = "files";
    }
  }

  /** The policy version being served now. */
  String servedVersion() {
    return publisher.view().policyVersion();
  }

  private void fail(List<Diagnostic> diagnostics, String error) {
    metrics.held(false); // broken files are not a held reload
    lastReload = new LastReload(false, clock.instant(), diagnostics, Optional.ofNullable(error));
    String still = publisher.view().policyVersion();
    if (error != null) {
      reloadLine(LOG.atWarn(), "failed", still)
          .log("policy reload failed: {}; still serving version {}", error, still);
    } else {
      long errors = diagnostics.stream().filter(Diagnostic::isError).count();
      reloadLine(LOG.atWarn(), "errors", still)
          .addKeyValue("errors", errors)
          .log("policy has {} error(s); still serving version {}", errors, still);
    }
  }

  /**
   * The key-values of a reload's outcome line: {@code version} is the policy served after it (the
   * new one, or the one still serving when the reload was not applied), so the JSON log filtered by
   * a version starts with the reload that made it.
   */
  private LoggingEventBuilder reloadLine(LoggingEventBuilder line, String outcome, String version) {
    return reloadLine(line, outcome, version, source);
  }

  private static LoggingEventBuilder reloadLine(
      LoggingEventBuilder line, String outcome, String version, String source) {
    return line.addKeyValue(RolloutLog.EVENT, "reload")
        .addKeyValue(RolloutLog.VERSION, version)
        .addKeyValue("outcome", outcome)
        .addKeyValue("source", source);
  }

  private static void logWarnings(Compilation compilation) {
    compilation.diagnostics().forEach(d -> LOG.warn("{}", d.render()));
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
