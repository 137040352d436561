package dev.meshgate.compiler.check;

import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RuleDecl;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which requests an authorization rule matches, as sets, so the checker can tell when one rule
 * covers another. Deliberately conservative: "covers" is only claimed when it holds for every
 * request (a path set covers another only path by path; a named source covers only itself).
 */
final class RuleCoverage {
  private RuleCoverage() {}

  /** Everything a rule matches on, normalised: methods and paths as sets, empty = any. */
  record Scope(String source, String destination, Set<String> methods, Set<String> paths) {
    static Scope of(RuleDecl rule) {
      return new Scope(rule.source().text(), rule.destination().text(), methods(rule), paths(rule));
    }

    // Most rules match on their peers only: their sets are the shared empty one, not two tree
    // sets filled by streams (that was two thirds of what a 1,000-service check allocated).
    private static Set<String> methods(RuleDecl rule) {
      if (rule.methods().isEmpty()) {
        return Set.of();
      }
      Set<String> methods = new TreeSet<>();
      for (Name m : rule.methods()) {
        methods.add(m.text());
      }
      return methods;
    }

    private static Set<String> paths(RuleDecl rule) {
      if (rule.paths().isEmpty()) {
        return Set.of();
      }
      Set<String> paths = new TreeSet<>();
      for (RouteDecl.PathPattern.Literal p : rule.paths()) {
        paths.add(p.text());
      }
      // `/**` is every path: the same as writing none.
      return paths.contains("/**") ? Set.of() : paths;
    }

    boolean anyRequest() {
      return methods.isEmpty() && paths.isEmpty();
    }
  }

  /** Whether every request {@code inner} matches is matched by {@code outer}. */
  static boolean covers(Scope outer, Scope inner) {
    return outer.destination().equals(inner.destination())
        && (outer.source().equals("*") || outer.source().equals(inner.source()))
        && (outer.methods().isEmpty()
            || (!inner.methods().isEmpty() && outer.methods().containsAll(inner.methods())))
        && pathsCover(outer.paths(), inner.paths());
  }

  /**
   * Whether {@code outer} matches requests from {@code caller} to its destination whatever they
   * are.
   */
  static boolean coversAllFrom(Scope outer, String caller) {
    return (outer.source().equals("*") || outer.source().equals(caller)) && outer.anyRequest();
  }

  private static boolean pathsCover(Set<String> outer, Set<String> inner) {
    if (outer.isEmpty()) {
      return true;
    }
    if (inner.isEmpty()) {
      return false;
    }
    return inner.stream().allMatch(q -> outer.stream().anyMatch(p -> pathCovers(p, q)));
  }

  /**
   * {@code /a/**} covers "/a", "/a/x" and "/a/x/**" (segment boundary, as for routes); an exact
   * path covers only itself.
   */
  static boolean pathCovers(String outer, String inner) {
    if (outer.equals(inner)) {
      return true;
    }
    if (!outer.endsWith("/**")) {
      return false;
    }
    String base = outer.substring(0, outer.length() - 3);
    String innerBase = inner.endsWith("/**") ? inner.substring(0, inner.length() - 3) : inner;
    return innerBase.equals(base) || innerBase.startsWith(base + "/");
  }

  static List<String> sorted(Set<String> set) {
    return List.copyOf(new TreeSet<>(set));
  }
}
