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
    return compile(sources, PolicyParser::parse, Lowering::lower, EnvoyTranslator::translate);
  }

  /**
   * The same with the parse, lowering and translation given: {@link IncrementalCompiler}'s reuse.
   */
  static Compilation compile(
      List<Source> sources,
      Function<Source, ParsedFile> parse,
      Function<List<PolicyFile>, PolicyIr> lower,
      Function<PolicyIr, List<ProxyResources>> translate) {
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
    PolicyChecker.Result checked = PolicyChecker.analyze(files);
    diagnostics.addAll(checked.diagnostics());
    diagnostics = DiagnosticLimit.perFile(diagnostics);
    if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
      return new Compilation(diagnostics, Optional.empty(), checked.suppressed());
    }
    var ir = lower.apply(files);
    return new Compilation(
        diagnostics,
        Optional.of(
            CompiledPolicy.translatedOnDemand(
                ir, () -> translate.apply(ir), PolicyTests.collect(files))),
        checked.suppressed());
  }
}
