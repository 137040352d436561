package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.RuleDecl;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.check.CheckContext.CheckedRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whole-policy analysis: declarations nothing uses, and authorization rules that can never decide
 * anything.
 */
final class PolicyAnalysis {
  private final CheckContext cx;
  private final Values values;

  PolicyAnalysis(CheckContext cx) {
    this.cx = cx;
    this.values = new Values(cx);
  }

  /**
   * Services nothing refers to (no route target, rule or call) and cx.subsets no route sends to. A
   * subset of an unused service is not reported again.
   */
  void unused() {
    Set<String> usedServices = new java.util.HashSet<>();
    Set<String> usedClusters = new java.util.HashSet<>();
    for (PolicyFile file : cx.files) {
      for (Decl decl : file.decls()) {
        switch (decl) {
          case GatewayDecl g -> {
            for (GatewayStmt stmt : g.body()) {
              if (stmt instanceof GatewayStmt.Host h) {
                for (RouteDecl route : h.routes()) {
                  for (RouteStmt rs : route.body()) {
                    if (rs instanceof RouteStmt.To to) {
                      to.targets()
                          .forEach(t -> {
                            usedServices.add(t.service().text());
                            usedClusters.add(t.cluster());
                          });
                    } else if (rs instanceof RouteStmt.Mirror m) {
                      usedServices.add(m.target().service().text());
                      usedClusters.add(m.target().cluster());
                    }
                  }
                }
              }
            }
          }
          case RuleDecl rule -> {
            usedServices.add(rule.source().text());
            usedServices.add(rule.destination().text());
          }
          case CallDecl call -> {
            usedServices.add(call.caller().text());
            usedServices.add(call.callee().text());
            for (RouteStmt rs : call.body()) {
              if (rs instanceof RouteStmt.Mirror m) {
                usedServices.add(m.target().service().text());
                usedClusters.add(m.target().cluster());
              }
            }
          }
          default -> {}
        }
      }
    }
    for (ServiceDecl service : cx.services.values()) {
      String name = service.name().text();
      cx.current = cx.fileOf(service.name().span());
      if (!usedServices.contains(name)) {
        cx.warning(
            UNUSED_SERVICE,
            service.name().span(),
            "service \""
                + name
                + "\" is declared but never used: no route sends to it and no rule or call names it;"
                + " remove it, or add what was meant to use it");
        continue;
      }
      for (ServiceStmt.SubsetStmt subset : cx.subsets.getOrDefault(name, Map.of()).values()) {
        if (!usedClusters.contains(name + "." + subset.name().text())) {
          cx.warning(
              UNUSED_SUBSET,
              subset.name().span(),
              "subset \""
                  + subset.name().text()
                  + "\" of service \""
                  + name
                  + "\" is declared but no route sends to it;"
                  + " remove it, or use it in a `to` like `to "
                  + name
                  + "."
                  + subset.name().text()
                  + "`");
        }
      }
    }
  }

  /**
   * A rule, the rules with its destination (filled in as rules are placed), its index there, and
   * the indexes there of the rules with its source and of those from {@code *} (filled in too).
   */
  private record Placed(
      CheckedRule rule,
      List<CheckedRule> group,
      int index,
      List<Integer> sameSource,
      List<Integer> anySource) {}

  /**
   * Rules that can never decide anything (warnings, conservative). Deny rules are checked before
   * allow rules and any matching deny wins, so: a repeated rule; an allow whose every request a
   * deny already denies; a deny inside a broader deny; an allow inside a broader allow from the
   * same source (an allow from `*` does not make a named allow useless: the named one also lets the
   * source's sidecar reach the destination).
   */
  void coverage(List<CheckedRule> rules) {
    // A rule can only cover a rule with the same destination: compare within those groups, so a
    // policy with thousands of rules stays fast. Only a rule from the same source or from `*` can
    // cover another (a named source covers only itself): each rule is compared with those, not
    // with every rule of its destination.
    Map<String, Destination> byDestination = new HashMap<>();
    List<Placed> placed = new ArrayList<>();
    // Most destinations have only allow rules: their allows need no look for a deny that
    // contradicts or covers them (in a mesh of 5,000 services, 50,000 scans that find nothing).
    Set<String> enforcedDenies = new HashSet<>();
    for (CheckedRule r : rules) {
      Destination destination =
          byDestination.computeIfAbsent(r.scope().destination(), k -> new Destination());
      List<CheckedRule> group = destination.rules;
      List<Integer> same = destination.from(r.scope().source());
      placed.add(new Placed(r, group, group.size(), same, destination.any));
      same.add(group.size());
      group.add(r);
      if (r.rule().effect() == RuleDecl.Effect.DENY && !r.rule().isDryRun()) {
        enforcedDenies.add(r.scope().destination());
      }
    }
    for (Placed p : placed) {
      CheckedRule r = p.rule();
      List<CheckedRule> group = p.group();
      int i = p.index();
      cx.current = r.file();
      String why = null;
      // a repeat has the same source (each covers the other)
      for (int k = 0; k < p.sameSource().size() && why == null; k++) {
        int j = p.sameSource().get(k);
        if (j >= i) {
          break;
        }
        CheckedRule e = group.get(j);
        if (sameKind(e, r)
            && RuleCoverage.covers(e.scope(), r.scope())
            && RuleCoverage.covers(r.scope(), e.scope())) {
          why = "this rule repeats the rule at " + cx.at(e.rule().span());
        }
      }
      if (why == null
          && r.rule().effect() == RuleDecl.Effect.ALLOW
          && enforcedDenies.contains(r.scope().destination())) {
        Optional<CheckedRule> same =
            group.stream()
                .filter(d ->
                    d.rule().effect() == RuleDecl.Effect.DENY
                        && !d.rule().isDryRun()
                        && RuleCoverage.covers(d.scope(), r.scope())
                        && RuleCoverage.covers(r.scope(), d.scope()))
                .findFirst();
        if (same.isPresent()) {
          cx.warning(
              RULES_CONTRADICT,
              r.rule().span(),
              "this allow contradicts the deny at "
                  + cx.at(same.get().rule().span())
                  + ", which has exactly the same scope; deny rules win, so this allow is dead: remove one of the two");
          continue;
        }
        for (CheckedRule d : group) {
          if (d.rule().effect() == RuleDecl.Effect.DENY
              && !d.rule().isDryRun()
              && RuleCoverage.covers(d.scope(), r.scope())) {
            why =
                "this allow never lets a request through: the deny at "
                    + cx.at(d.rule().span())
                    + " matches every request it allows, and deny rules are checked first";
            break;
          }
        }
      }
      if (why == null) {
        for (int j : candidates(p)) {
          CheckedRule b = group.get(j);
          if (b == r
              || !sameKind(b, r)
              || !RuleCoverage.covers(b.scope(), r.scope())
              || RuleCoverage.covers(r.scope(), b.scope())) {
            continue;
          }
          if (r.rule().effect() == RuleDecl.Effect.DENY) {
            why =
                "this deny never decides anything: the broader deny at "
                    + cx.at(b.rule().span())
                    + " already matches every request it matches";
            break;
          }
          if (b.scope().source().equals(r.scope().source())) {
            why =
                "this allow adds nothing: the broader allow at "
                    + cx.at(b.rule().span())
                    + " already lets through every request it matches";
            break;
          }
        }
      }
      if (why != null) {
        cx.warning(RULE_NEVER_APPLIES, r.rule().span(), why);
      }
    }
  }

  /**
   * The rules with one destination, and their indexes there by source ({@code *} kept at hand:
   * every rule is compared with those from it).
   */
  private static final class Destination {
    final List<CheckedRule> rules = new ArrayList<>();
    final Map<String, List<Integer>> bySource = new HashMap<>();
    final List<Integer> any = new ArrayList<>();

    Destination() {
      bySource.put("*", any);
    }

    List<Integer> from(String source) {
      return bySource.computeIfAbsent(source, k -> new ArrayList<>());
    }
  }

  /**
   * The indexes of the rules that may cover {@code p}'s (same source, or {@code *}), in policy
   * order.
   */
  private static int[] candidates(Placed p) {
    List<Integer> a = p.sameSource();
    List<Integer> b = p.sameSource() == p.anySource() ? List.of() : p.anySource();
    int[] merged = new int[a.size() + b.size()];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.size() || j < b.size()) {
      merged[k++] =
          j >= b.size() || (i < a.size() && a.get(i) < b.get(j)) ? a.get(i++) : b.get(j++);
    }
    return merged;
  }

  static boolean sameKind(CheckedRule a, CheckedRule b) {
    return a.rule().effect() == b.rule().effect() && a.rule().isDryRun() == b.rule().isDryRun();
  }
}
