package dev.meshgate.cli.report;

import dev.meshgate.compiler.plan.Change;
import dev.meshgate.compiler.plan.FieldChange;
import dev.meshgate.compiler.plan.GroupPlan;
import dev.meshgate.compiler.plan.Plan;
import dev.meshgate.compiler.plan.ResilienceRelevance;
import dev.meshgate.compiler.plan.ResourceChange;
import dev.meshgate.compiler.plan.SecurityRelevance;
import java.util.List;

/**
 * The plan for people: one block per changed proxy group ({@code +} added, {@code -} removed,
 * {@code ~} changed), its resources in kind then name order, and for a changed resource one line
 * per field. The order is that of the plan, so the same change always prints the same text.
 * Security- and resilience-relevant changes are marked after {@code #} so a reviewer finds them.
 */
final class PlanText {
  private static final String ARROW = " → ";

  private PlanText() {}

  static String render(PlanReport report) {
    Plan plan = report.plan();
    StringBuilder out = new StringBuilder();
    out.append("meshgate plan: base ")
        .append(report.base())
        .append(ARROW)
        .append(String.join(" ", report.paths()))
        .append("\n");
    for (GroupPlan group : plan.changedGroups()) {
      out.append("\n")
          .append(group.change().marker())
          .append(" ")
          .append(group.group().key())
          .append(" (")
          .append(group.change().label())
          .append("; reaches ")
          .append(report.reach(group.group().key()))
          .append(")\n");
      for (ResourceChange resource : group.resources()) {
        out.append("    ")
            .append(resource.change().marker())
            .append(" ")
            .append(resource.kind().label())
            .append(" ")
            .append(resource.name())
            .append(SecurityRelevance.of(resource) ? "   # security-relevant" : "")
            .append(ResilienceRelevance.of(resource) ? "   # resilience" : "")
            .append("\n");
        for (FieldChange field : resource.fields()) {
          out.append("        ")
              .append(field.change().marker())
              .append(" ")
              .append(field.path())
              .append(": ");
          switch (field.change()) {
            case ADDED -> out.append(field.after().orElse(""));
            case REMOVED -> out.append(field.before().orElse(""));
            default ->
                out.append(field.before().orElse(""))
                    .append(ARROW)
                    .append(field.after().orElse(""));
          }
          RouteHints.hint(resource, field).ifPresent(hint -> out.append("   # ").append(hint));
          if (SecurityRelevance.of(field)) {
            out.append("   # security-relevant");
          }
          if (ResilienceRelevance.of(field)) {
            out.append("   # resilience");
          }
          out.append("\n");
        }
      }
    }
    List<String> unchanged =
        plan.groups().stream()
            .filter(g -> g.change() == Change.UNCHANGED)
            .map(g -> g.group().key())
            .toList();
    if (plan.hasChanges() && !unchanged.isEmpty()) {
      out.append("\nUnchanged: ").append(String.join(", ", unchanged)).append("\n");
    }
    out.append("\n").append(summary(plan)).append("\n");
    return out.toString();
  }

  static String summary(Plan plan) {
    if (!plan.hasChanges()) {
      int groups = plan.groups().size();
      return "No changes: "
          + (groups == 0
              ? "no proxy groups on either side."
              : plural(groups, "proxy group") + ", all unchanged.");
    }
    return "Plan: "
        + plan.count(Change.ADDED)
        + " to add, "
        + plan.count(Change.CHANGED)
        + " to change, "
        + plan.count(Change.REMOVED)
        + " to remove, in "
        + plural(plan.changedGroups().size(), "proxy group")
        + ".";
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
