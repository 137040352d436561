package dev.meshgate.compiler;

import dev.meshgate.compiler.lower.IncrementalLowering;
import dev.meshgate.compiler.parse.ParsedFile;
import dev.meshgate.compiler.parse.PolicyParser;
import dev.meshgate.compiler.translate.IncrementalTranslator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Compiles one version of a policy after another, as a server does on every edit (issue 17.1), and
 * reuses what the edit did not touch: a file whose text is unchanged is not parsed again (its
 * syntax tree is immutable), a sidecar whose inputs are unchanged is not lowered again ({@link
 * IncrementalLowering}: the previous IR instance comes back), and a proxy group whose inputs are
 * unchanged is not translated again ({@link IncrementalTranslator}: the previous {@link
 * ProxyResources} instance comes back). Checking still sees the whole policy: what is allowed,
 * shadowed or contradicted is a property of all of it.
 *
 * <p>The result is always what {@link Compiler#compile} gives for the same sources (equal
 * diagnostics, IR and resources); only the cost differs. It keeps the latest version's syntax trees
 * and groups, which the caller usually holds anyway while it serves them. Thread-safe: compiles are
 * serialised.
 */
public final class IncrementalCompiler {
  private final Optional<Executor> ahead;
  private final IncrementalLowering lowering = new IncrementalLowering();
  private final IncrementalTranslator translator = new IncrementalTranslator();
  private Map<Source, ParsedFile> parsed = Map.of();
  private long parsesReused;

  /** Compiles on the caller's thread only. */
  public IncrementalCompiler() {
    this.ahead = Optional.empty();
  }

  private IncrementalCompiler(Executor ahead) {
    this.ahead = Optional.of(ahead);
  }

  /**
   * A compiler that lowers and translates on a thread of its own while the checker runs on the
   * caller's, translating every compile's groups at once (a server, which always needs them): the
   * compile takes about the longer of the two, not their sum, where a second core is free. The
   * thread ends after a minute without work.
   */
  public static IncrementalCompiler lowersAheadOfTheChecker() {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            1,
            1,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "meshgate-compile-ahead");
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
    return new IncrementalCompiler(executor);
  }

  public synchronized Compilation compile(List<Source> sources) {
    Map<Source, ParsedFile> previous = parsed;
    Map<Source, ParsedFile> next = new HashMap<>();
    Compilation compilation =
        Compiler.compile(
            sources,
            source -> {
              if (source.malformed().isPresent()) {
                // equal text, other bytes: U+FFFD typed, or bytes that are not UTF-8 (an error)
                return PolicyParser.parse(source);
              }
              ParsedFile file = previous.get(source);
              if (file == null) {
                file = PolicyParser.parse(source);
              } else {
                parsesReused++;
              }
              next.put(source, file);
              return file;
            },
            lowering::lower,
            translator::translate,
            ahead);
    parsed = next;
    return compilation;
  }

  /**
   * Files, sidecars and groups reused rather than parsed, lowered or translated again (for tests
   * and diagnosis).
   */
  public synchronized Reuse reuse() {
    return new Reuse(parsesReused, lowering.reused(), translator.reused());
  }

  /** Counts since this compiler was made. */
  public record Reuse(long files, long sidecars, long groups) {}
}
