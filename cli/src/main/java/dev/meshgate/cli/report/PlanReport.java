package dev.meshgate.cli.report;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.plan.Plan;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code meshgate plan} reports: what the base was ({@code HEAD}, a directory), the
 * policy paths, the plan, each side's diagnostics (warnings only: a side with errors has no plan),
 * and, when a server was asked, how many proxies of each group are connected to it now.
 */
public record PlanReport(
    String base,
    List<String> paths,
    Plan plan,
    List<Diagnostic> baseDiagnostics,
    List<Diagnostic> newDiagnostics,
    Optional<Map<String, Integer>> connectedProxies) {
  public PlanReport {
    Objects.requireNonNull(base, "base");
    paths = List.copyOf(paths);
    Objects.requireNonNull(plan, "plan");
    baseDiagnostics = List.copyOf(baseDiagnostics);
    newDiagnostics = List.copyOf(newDiagnostics);
    connectedProxies = connectedProxies.map(Map::copyOf);
  }

  /**
   * "every proxy of gateway:edge", or with a server's count "3 connected proxies of gateway:edge".
   */
  public String reach(String groupKey) {
    return connectedProxies
        .map(counts -> counts.getOrDefault(groupKey, 0))
        .map(n ->
            n == 0
                ? "no connected proxy of " + groupKey
                : n + " connected prox" + (n == 1 ? "y" : "ies") + " of " + groupKey)
        .orElse("every proxy of " + groupKey);
  }
}
