package dev.meshgate.compiler;

import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.check.PolicyChecker;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.lower.Lowering;
import dev.meshgate.compiler.parse.ParsedFile;
import dev.meshgate.compiler.parse.PolicyParser;
import dev.meshgate.compiler.simulate.PolicyTests;
import dev.meshgate.compiler.translate.EnvoyTranslator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The compiler's one entry point: parse → check → lower → translate. Files are merged into one
 * policy. Any error stops before lowering, so a policy that lowers is known to be sound. The
 * translation to Envoy resources runs when {@link CompiledPolicy#groups()} is first called, so a
 * caller that needs only diagnostics and the IR ({@code meshgate check}) never pays for it.
 */
public final class Compiler {
  private Compiler() {}

  public static Compilation compile(List<Source> sources) {
    return compile(
        sources,
        PolicyParser::parse,
        Lowering::lower,
        EnvoyTranslator::translate,
        Optional.empty());
  }

  /**
   * The same with the parse, lowering and translation given: {@link IncrementalCompiler}'s reuse.
   * With {@code ahead}, lowering and translation run there while the checker runs here, and their
   * result is kept only if the checker finds no error (a server's reload, where the wall time of a
   * compile is the latency of every edit, and the checker's half of it needs none of the rest).
   */
  static Compilation compile(
      List<Source> sources,
      Function<Source, ParsedFile> parse,
      Function<List<PolicyFile>, PolicyIr> lower,
      Function<PolicyIr, List<ProxyResources>> translate,
      Optional<Executor> ahead) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<PolicyFile> files = new ArrayList<>();
    boolean analysable = true;
    for (Source source : sources) {
      ParsedFile parsed = parse.apply(source);
      diagnostics.addAll(parsed.diagnostics());
      files.add(parsed.file());
      analysable &= parsed.analysable();
    }
    if (!analysable) {
      // A file beyond the input limits was not parsed, or parsed into mostly errors: checking
      // the rest against it would only add noise to the errors that say what to fix first.
      return new Compilation(diagnostics, Optional.empty());
    }
    // Lowering an unchecked policy may throw (it trusts the checker): such a result is only
    // looked at once the checker has passed the policy, where it is a bug as it always was.
    Optional<CompletableFuture<Translated>> early =
        ahead.map(executor ->
            CompletableFuture.supplyAsync(
                () -> {
                  PolicyIr ir = lower.apply(files);
                  return new Translated(ir, translate.apply(ir));
                },
                executor));
    PolicyChecker.Result checked = PolicyChecker.analyze(files);
    diagnostics.addAll(checked.diagnostics());
    diagnostics = DiagnosticLimit.perFile(diagnostics);
    if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
      return new Compilation(diagnostics, Optional.empty(), checked.suppressed());
    }
    CompiledPolicy policy;
    if (early.isPresent()) {
      Translated done = joined(early.get());
      policy =
          CompiledPolicy.translatedOnDemand(done.ir(), done::groups, PolicyTests.collect(files));
    } else {
      PolicyIr ir = lower.apply(files);
      policy =
          CompiledPolicy.translatedOnDemand(
              ir, () -> translate.apply(ir), PolicyTests.collect(files));
    }
    return new Compilation(diagnostics, Optional.of(policy), checked.suppressed());
  }

  private record Translated(PolicyIr ir, List<ProxyResources> groups) {}

  /** The future's value, or what it threw, as lowering on this thread would have thrown it. */
  private static Translated joined(CompletableFuture<Translated> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
