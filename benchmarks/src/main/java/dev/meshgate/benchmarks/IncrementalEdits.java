package dev.meshgate.benchmarks;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.IncrementalCompiler;
import dev.meshgate.compiler.Source;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What one policy edit costs the server's compiler (issue 17.1): a whole compile from scratch
 * ({@link Compiler#compile}, translation included) against an {@link IncrementalCompiler} that
 * compiled the version before (and the wall time of the server's, which lowers ahead of the checker
 * on a second thread), for the realistic mesh of N services where each round edits one more
 * service's calls ({@link XdsLoadHarness.Edit#ONE}), with the policy in one file and in one file
 * per service. Both are measured in the same JVM, one after the other per round, as this thread's
 * CPU time and allocated bytes; the first rounds are the cold JIT, the median of the second half
 * the warm cost.
 *
 * <pre>
 * java -cp benchmarks/target/meshgate-benchmarks.jar dev.meshgate.benchmarks.IncrementalEdits \
 *     [SERVICES] [ROUNDS]      # defaults 1000 and 30
 * </pre>
 */
public final class IncrementalEdits {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private IncrementalEdits() {}

  /** CPU nanoseconds and allocated bytes of one compile. */
  record Cost(long cpuNanos, long allocated) {}

  public static void main(String[] args) {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    RealisticMesh mesh = RealisticMesh.withDefaults(services);
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "realistic mesh of %d services, %d edits of one service each; medians of the last %d%n",
        services,
        rounds,
        rounds - rounds / 2);
    report(out, "one file", rounds, round -> List.of(new Source("load.mesh", text(mesh, round))));
    report(out, "a file per service", rounds, round -> files(mesh, round));
  }

  private static String text(RealisticMesh mesh, int round) {
    return mesh.text(round, XdsLoadHarness.Edit.ONE);
  }

  static List<Source> files(RealisticMesh mesh, int round) {
    List<Source> sources = new ArrayList<>();
    mesh.files(round, XdsLoadHarness.Edit.ONE).forEach((n, t) -> sources.add(new Source(n, t)));
    return sources;
  }

  private static void report(
      PrintStream out, String layout, int rounds, Function<Integer, List<Source>> version) {
    IncrementalCompiler incremental = new IncrementalCompiler();
    IncrementalCompiler ahead = IncrementalCompiler.lowersAheadOfTheChecker();
    measure(() -> incremental.compile(version.apply(0)));
    wall(() -> ahead.compile(version.apply(0)));
    List<Cost> whole = new ArrayList<>();
    List<Cost> edit = new ArrayList<>();
    List<Long> edited = new ArrayList<>();
    List<Long> editedAhead = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      List<Source> sources = version.apply(round);
      whole.add(measure(() -> Compiler.compile(sources)));
      long start = System.nanoTime();
      edit.add(measure(() -> incremental.compile(sources)));
      edited.add(System.nanoTime() - start);
      editedAhead.add(wall(() -> ahead.compile(sources)));
    }
    out.printf(
        Locale.ROOT,
        "%-20s from scratch: first %s, warm %s | incremental: first %s, warm %s (%.2fx the CPU)"
            + "; reused %s%n",
        layout,
        describe(whole.get(0)),
        describe(median(whole)),
        describe(edit.get(0)),
        describe(median(edit)),
        (double) median(edit).cpuNanos() / median(whole).cpuNanos(),
        incremental.reuse());
    out.printf(
        Locale.ROOT,
        "%-20s incremental, wall time, warm: %.1f ms; lowering ahead of the checker (the"
            + " server's): %.1f ms%n",
        layout,
        medianOf(edited) / 1e6,
        medianOf(editedAhead) / 1e6);
  }

  /** Wall nanoseconds of one compile, translation included. */
  private static long wall(java.util.function.Supplier<Compilation> compile) {
    long start = System.nanoTime();
    compile.get().policy().orElseThrow().groups();
    return System.nanoTime() - start;
  }

  private static long medianOf(List<Long> nanos) {
    long[] warm =
        nanos.subList(nanos.size() / 2, nanos.size()).stream()
            .mapToLong(Long::longValue)
            .sorted()
            .toArray();
    return warm[warm.length / 2];
  }

  private static Cost measure(java.util.function.Supplier<Compilation> compile) {
    long thread = Thread.currentThread().threadId();
    long cpu = THREADS.getThreadCpuTime(thread);
    long allocated = THREADS.getThreadAllocatedBytes(thread);
    Compilation compilation = compile.get();
    compilation.policy().orElseThrow().groups(); // translation runs on first use
    return new Cost(
        THREADS.getThreadCpuTime(thread) - cpu,
        THREADS.getThreadAllocatedBytes(thread) - allocated);
  }

  private static Cost median(List<Cost> costs) {
    List<Cost> warm = costs.subList(costs.size() / 2, costs.size());
    long[] cpu = warm.stream().mapToLong(Cost::cpuNanos).sorted().toArray();
    long[] allocated = warm.stream().mapToLong(Cost::allocated).sorted().toArray();
    return new Cost(cpu[cpu.length / 2], allocated[allocated.length / 2]);
  }

  private static String describe(Cost cost) {
    return String.format(
        Locale.ROOT, "%.1f ms / %.1f MB", cost.cpuNanos() / 1e6, cost.allocated() / 1e6);
  }
}
