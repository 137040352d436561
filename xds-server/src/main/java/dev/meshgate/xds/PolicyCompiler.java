package dev.meshgate.xds;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.IncrementalCompiler;
import dev.meshgate.compiler.PolicySourceCache;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** How the server reads and compiles policy: the compiler's public API, behind a seam for tests. */
interface PolicyCompiler {

  List<Source> load(List<Path> paths) throws IOException;

  Compilation compile(List<Source> sources);

  /**
   * A compiler for one reloader: it compiles each version of the policy reusing what the previous
   * compile left where the text or a group's inputs did not change ({@link IncrementalCompiler}),
   * with the same results. A test's fake may return itself.
   */
  default PolicyCompiler incremental() {
    return this;
  }

  /**
   * {@link #incremental()} with all of a compile's work on the caller's thread, none ahead on a
   * second: for {@link CompilerWarmup}, whose budget is its own thread's CPU.
   */
  default PolicyCompiler incrementalOnTheCallersThread() {
    return this;
  }

  /**
   * When a load would next find settled the files the last one read while they were new ({@link
   * PolicySourceCache#untilSettled}); empty when none, or when loads read every file anyway.
   */
  default Optional<Duration> untilReadsSettle() {
    return Optional.empty();
  }

  /** The real thing: {@link PolicySources#load} and {@link Compiler#compile}. */
  PolicyCompiler DEFAULT = new Real(Real.FILES, Compiler::compile);

  /**
   * Reads every {@code *.mesh} under each path (a directory: an unpacked bundle) and names each
   * file relative to that directory, as the bundle names it: diagnostics and the file references a
   * policy resolves (certificates, JWKS files) then read exactly as where the bundle was compiled.
   */
  PolicyCompiler ROOTED = new Real(Real::loadRooted, Compiler::compile);

  /** Loads with {@code loader}, compiles with {@code compiler}, and translates at once. */
  record Real(Loader loader, Function<List<Source>, Compilation> compiler)
      implements PolicyCompiler {
    interface Loader {
      List<Source> load(List<Path> paths) throws IOException;

      default Optional<Duration> untilSettled() {
        return Optional.empty();
      }
    }

    static final Loader FILES = PolicySources::load;

    @Override
    public List<Source> load(List<Path> paths) throws IOException {
      return loader.load(paths);
    }

    @Override
    public Compilation compile(List<Source> sources) {
      Compilation compilation = compiler.apply(sources);
      // Translate here, inside the timed compile and on the reload thread, not later when the
      // publisher first asks for the groups.
      compilation.policy().ifPresent(CompiledPolicy::groups);
      return compilation;
    }

    @Override
    public Optional<Duration> untilReadsSettle() {
      return loader.untilSettled();
    }

    @Override
    public PolicyCompiler incremental() {
      return new Real(cachedReads(), IncrementalCompiler.lowersAheadOfTheChecker()::compile);
    }

    @Override
    public PolicyCompiler incrementalOnTheCallersThread() {
      return new Real(cachedReads(), new IncrementalCompiler()::compile);
    }

    /** One reloader's loads: files unchanged since the last are not read again. */
    private Loader cachedReads() {
      if (loader != FILES) {
        return loader;
      }
      PolicySourceCache cache = new PolicySourceCache();
      return new Loader() {
        @Override
        public List<Source> load(List<Path> paths) throws IOException {
          return cache.load(paths);
        }

        @Override
        public Optional<Duration> untilSettled() {
          return cache.untilSettled();
        }
      };
    }

    private static List<Source> loadRooted(List<Path> paths) throws IOException {
      List<Source> sources = new java.util.ArrayList<>();
      for (Path root : paths) {
        for (Source source : PolicySources.load(List.of(root))) {
          // The text as read, under the bundle's relative name: no second read of the file.
          Path file = Path.of(source.name());
          sources.add(source.renamed(root.relativize(file).toString().replace('\\', '/')));
        }
      }
      // By name, as compile --bundle orders them: the same policy, declaration for declaration.
      sources.sort(java.util.Comparator.comparing(Source::name));
      return sources;
    }
  }
}
