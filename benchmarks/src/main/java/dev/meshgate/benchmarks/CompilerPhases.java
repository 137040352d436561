package dev.meshgate.benchmarks;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.check.PolicyChecker;
import dev.meshgate.compiler.ir.IrYaml;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.lower.Lowering;
import dev.meshgate.compiler.parse.PolicyParser;
import dev.meshgate.compiler.translate.EnvoyTranslator;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Where a compile's time and allocation go, phase by phase: the compiler's own phases called one
 * after the other as {@link dev.meshgate.compiler.Compiler} does (parse, check, lower, translate),
 * each measured as CPU time and bytes allocated by this thread ({@code ThreadMXBean}; garbage
 * collection and JIT compiler threads not included), K times in one JVM: the first run is what a
 * fresh server pays (class loading, interpreter, JIT), the later ones the warm cost.
 *
 * <pre>
 * java -cp benchmarks/target/meshgate-benchmarks.jar dev.meshgate.benchmarks.CompilerPhases \
 *     realistic-1000 [--runs 10]
 * java -cp … dev.meshgate.benchmarks.CompilerPhases realistic-5000 hash
 * </pre>
 *
 * The policy is a {@link Policies#named} name or a {@code .mesh} file. {@code hash} prints a
 * SHA-256 of every group's Envoy resources as {@link EnvoyOutput#json} prints them, and one of the
 * IR, so a change meant to be invisible can be checked on policies far bigger than the goldens.
 */
public final class CompilerPhases {
  private static final String[] PHASES = {"parse", "check", "lower", "translate"};

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private CompilerPhases() {}

  /** One run: per phase, CPU nanoseconds and allocated bytes of this thread. */
  record Run(long[] cpuNanos, long[] allocated, List<ProxyResources> groups, PolicyIr ir) {}

  public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
    if (args.length < 1) {
      System.err.println("usage: CompilerPhases POLICY|FILE.mesh [--runs K] [hash]");
      System.exit(2);
    }
    Source source = source(args[0]);
    int runs = 10;
    boolean hash = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "hash" -> hash = true;
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    PrintStream out = System.out;
    if (hash) {
      Run run = run(source);
      out.println(
          "resources " + resourcesHash(run.groups()) + "  (" + run.groups().size() + " groups)");
      out.println("ir        " + sha256(IrYaml.render(run.ir())));
      return;
    }
    out.printf(
        Locale.ROOT,
        "%s: %.0f KiB, %d runs; CPU ms and MB allocated of the compiling thread%n",
        source.name(),
        source.text().length() / 1024.0,
        runs);
    List<Run> all = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      all.add(run(source));
      // Only the last run's resources stay reachable, so runs do not add up in the heap.
      if (i > 0) {
        all.set(i - 1, strip(all.get(i - 1)));
      }
    }
    print(out, "first", List.of(all.get(0)));
    if (runs > 1) {
      print(out, "second", List.of(all.get(1)));
    }
    if (runs > 2) {
      List<Run> warm = all.subList(runs / 2, runs);
      print(out, "warm (median of last " + warm.size() + ")", warm);
    }
  }

  private static Source source(String arg) throws IOException {
    Path file = Path.of(arg);
    if (arg.endsWith(".mesh") && Files.isRegularFile(file)) {
      return new Source(file.getFileName().toString(), Files.readString(file));
    }
    return Policies.named(arg);
  }

  private static Run strip(Run run) {
    return new Run(run.cpuNanos(), run.allocated(), List.of(), run.ir());
  }

  /** Parse, check, lower, translate; fails on a policy with errors, as a benchmark must. */
  static Run run(Source source) {
    long[] cpu = new long[PHASES.length];
    long[] bytes = new long[PHASES.length];
    PolicyFile file = measure(0, cpu, bytes, () -> PolicyParser.parse(source).file());
    List<PolicyFile> files = List.of(file);
    List<Diagnostic> diagnostics =
        measure(1, cpu, bytes, () -> PolicyChecker.analyze(files).diagnostics());
    diagnostics.stream()
        .filter(Diagnostic::isError)
        .findFirst()
        .ifPresent(d -> {
          throw new IllegalStateException("policy does not compile: " + d.render());
        });
    PolicyIr ir = measure(2, cpu, bytes, () -> Lowering.lower(files));
    List<ProxyResources> groups = measure(3, cpu, bytes, () -> EnvoyTranslator.translate(ir));
    return new Run(cpu, bytes, groups, ir);
  }

  private static <T> T measure(int phase, long[] cpu, long[] bytes, Supplier<T> work) {
    long thread = Thread.currentThread().threadId();
    long cpu0 = THREADS.getThreadCpuTime(thread);
    long bytes0 = THREADS.getThreadAllocatedBytes(thread);
    T result = work.get();
    cpu[phase] = THREADS.getThreadCpuTime(thread) - cpu0;
    bytes[phase] = THREADS.getThreadAllocatedBytes(thread) - bytes0;
    return result;
  }

  private static void print(PrintStream out, String label, List<Run> runs) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s", label));
    long totalCpu = 0;
    long totalBytes = 0;
    for (int p = 0; p < PHASES.length; p++) {
      int phase = p;
      long cpu = median(runs.stream().mapToLong(r -> r.cpuNanos()[phase]).toArray());
      long bytes = median(runs.stream().mapToLong(r -> r.allocated()[phase]).toArray());
      totalCpu += cpu;
      totalBytes += bytes;
      line.append(
          String.format(Locale.ROOT, "  %s %6.1f ms %6.1f MB", PHASES[p], cpu / 1e6, bytes / 1e6));
    }
    line.append(
        String.format(
            Locale.ROOT, "  | total %7.1f ms %6.1f MB", totalCpu / 1e6, totalBytes / 1e6));
    out.println(line);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Every group's {@link EnvoyOutput#json}, in order: what the goldens compare, for all groups. */
  static String resourcesHash(List<ProxyResources> groups) throws NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (ProxyResources group : groups) {
      digest.update(EnvoyOutput.json(group).getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String sha256(String text) throws NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
