package dev.meshgate.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/** PeerComparison's report: every step as it happens, then the means and the ratios. */
final class PeerReport {
  static final String MESHGATE = "meshgate";
  static final String PEER = "go-control-plane";

  private PeerReport() {}

  static String describe(String server, String pass, PeerComparison.Step step) {
    String compile =
        step.compileMs().isPresent()
            ? String.format(Locale.ROOT, ", compile %.1f ms", step.compileMs().getAsDouble())
            : "";
    return String.format(
        Locale.ROOT,
        "%-16s pass %-9s %-9s %d/%d proxies, all after %.1f ms (p50 %.1f ms), server CPU %d ms%s",
        server,
        pass,
        step.what(),
        step.done(),
        step.expected(),
        step.allMs(),
        step.p50Ms(),
        step.cpuMs(),
        compile);
  }

  /**
   * Prints the means per server and their ratio (Meshgate / peer); true when every step of every
   * pass completed and both servers gave every proxy the same number of resources of each type.
   */
  static boolean print(List<PeerComparison.Pass> passes, PrintStream out) {
    List<String> problems = problems(passes);
    List<PeerComparison.Pass> ours = of(passes, MESHGATE);
    List<PeerComparison.Pass> peer = of(passes, PEER);
    out.println();
    out.printf(Locale.ROOT, "%-34s %12s %18s %8s%n", "mean over passes", MESHGATE, PEER, "ratio");
    row(out, "connect: all proxies served (ms)", ours, peer, p -> p.connect().allMs());
    row(out, "connect: p50 per proxy (ms)", ours, peer, p -> p.connect().p50Ms());
    row(out, "connect: server CPU (ms)", ours, peer, p -> p.connect().cpuMs());
    row(out, "change: all proxies ACKed (ms)", ours, peer, p -> mean(p.changes(), s -> s.allMs()));
    row(out, "change: p50 per proxy (ms)", ours, peer, p -> mean(p.changes(), s -> s.p50Ms()));
    row(out, "change: server CPU (ms)", ours, peer, p -> mean(p.changes(), s -> s.cpuMs()));
    row(
        out,
        "change: compile (ms, ours only)",
        ours,
        peer,
        p -> mean(p.changes(), PeerReport::compile));
    row(
        out,
        "change: all ACKed minus compile",
        ours,
        peer,
        p -> mean(p.changes(), s -> s.allMs() - compile(s)));
    problems.forEach(p -> out.println("FAILED: " + p));
    return problems.isEmpty();
  }

  /** What makes the run not count: an incomplete step, a failure, or different resources. */
  static List<String> problems(List<PeerComparison.Pass> passes) {
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, Integer>> reference = null;
    for (PeerComparison.Pass pass : passes) {
      String who = pass.server() + " pass " + pass.pass();
      pass.failures().forEach(f -> problems.add(who + ": " + f));
      if (pass.connect().done() != pass.connect().expected()) {
        problems.add(who + ": only " + pass.connect().done() + " proxies were served");
      }
      for (PeerComparison.Step step : pass.changes()) {
        if (step.done() != step.expected()) {
          problems.add(who + ": " + step.what() + " reached " + step.done() + " proxies");
        }
      }
      if (reference == null) {
        reference = pass.resources();
      } else if (!reference.equals(pass.resources())) {
        problems.add(who + ": its proxies got other resource counts than the first pass's");
      }
    }
    return problems;
  }

  private static double compile(PeerComparison.Step step) {
    return step.compileMs().orElse(0);
  }

  private static List<PeerComparison.Pass> of(List<PeerComparison.Pass> passes, String server) {
    return passes.stream().filter(p -> p.server().equals(server)).toList();
  }

  private static <T> double mean(List<T> items, ToDoubleFunction<T> value) {
    OptionalDouble mean = items.stream().mapToDouble(value).average();
    return mean.orElse(Double.NaN);
  }

  private static void row(
      PrintStream out,
      String what,
      List<PeerComparison.Pass> ours,
      List<PeerComparison.Pass> peer,
      ToDoubleFunction<PeerComparison.Pass> value) {
    double a = mean(ours, value);
    double b = mean(peer, value);
    String ratio = b > 0 ? String.format(Locale.ROOT, "%.2f", a / b) : "-";
    out.printf(Locale.ROOT, "%-34s %12.1f %18.1f %8s%n", what, a, b, Objects.requireNonNull(ratio));
  }
}
