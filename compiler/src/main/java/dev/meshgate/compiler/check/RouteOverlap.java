package dev.meshgate.compiler.check;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.check.RouteCoverage.Cond;
import dev.meshgate.compiler.check.RouteCoverage.Match;
import dev.meshgate.compiler.check.RouteCoverage.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Partial overlaps (MG730): two routes of a host that can both take some request while neither
 * covers the other, so the written order alone decides where that request goes. A finding is made
 * only with a concrete request both match (never a guess): when a regex makes it hard to build one,
 * there is no finding.
 */
final class RouteOverlap {
  private RouteOverlap() {}

  /** An earlier match (its index) and a request it and the later one both take. */
  record Found(int index, Request request) {}

  /** A request, in the words of a policy test. */
  record Request(
      Optional<String> method,
      String path,
      Map<String, String> headers,
      Map<String, String> query) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      method.ifPresent(m -> sb.append(m).append(' '));
      sb.append(path);
      headers.forEach(
          (k, v) -> sb.append(" with header \"").append(k).append("\" = \"").append(v).append('"'));
      query.forEach(
          (k, v) -> sb.append(" with query \"").append(k).append("\" = \"").append(v).append('"'));
      return sb.toString();
    }
  }

  /** A request both match, if one can be named. */
  static Optional<Request> witness(Match a, Match b) {
    Optional<String> method;
    if (a.methods().isEmpty() && b.methods().isEmpty()) {
      method = Optional.empty();
    } else if (a.methods().isEmpty() || b.methods().isEmpty()) {
      method = Optional.of((a.methods().isEmpty() ? b : a).methods().iterator().next());
    } else {
      Set<String> both = new TreeSet<>(a.methods());
      both.retainAll(b.methods());
      if (both.isEmpty()) {
        return Optional.empty();
      }
      method = Optional.of(both.iterator().next());
    }
    Optional<String> path = path(a.path().orElseThrow(), b.path().orElseThrow());
    if (path.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> query = new LinkedHashMap<>();
    Map<String, List<Cond>> byKey = new LinkedHashMap<>();
    for (Cond c : a.conds()) {
      byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
    }
    for (Cond c : b.conds()) {
      byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
    }
    for (List<Cond> conds : byKey.values()) {
      Optional<String> value = value(conds);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      Cond c = conds.getFirst();
      (c.kind() == RouteDecl.Condition.Kind.HEADER ? headers : query).put(c.name(), value.get());
    }
    return Optional.of(new Request(method, path.get(), headers, query));
  }

  /** A value every condition on one name accepts. */
  private static Optional<String> value(List<Cond> conds) {
    List<String> candidates = new ArrayList<>();
    conds.stream().filter(c -> !c.regex()).forEach(c -> candidates.add(c.value()));
    if (candidates.isEmpty()) {
      conds.forEach(c -> candidates.add(RouteCoverage.literalPrefix(c.value()).prefix()));
    }
    for (String v : candidates) {
      if (conds.stream().allMatch(c -> c.regex() ? fullMatch(c.value(), v) : c.value().equals(v))) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** A path both path patterns match. */
  static Optional<String> path(Path a, Path b) {
    List<String> candidates = new ArrayList<>();
    for (Path p : List.of(a, b)) {
      switch (p) {
        case Path.Exact e -> candidates.add(e.path());
        case Path.Prefix q -> {
          candidates.add(q.base().isEmpty() ? "/" : q.base());
          candidates.add(q.base() + "/");
        }
        case Path.Regex r -> candidates.add(RouteCoverage.literalPrefix(r.regex()).prefix());
      }
    }
    // The deepest prefix first: "/api/v1" rather than "/api" for /api/** and /api/v1/**.
    candidates.sort((x, y) -> Integer.compare(y.length(), x.length()));
    for (String c : candidates) {
      if (matches(a, c) && matches(b, c)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static boolean matches(Path p, String path) {
    return switch (p) {
      case Path.Exact e -> e.path().equals(path);
      case Path.Prefix q -> q.base().isEmpty() || RouteCoverage.under(path, q.base());
      case Path.Regex r -> fullMatch(r.regex(), path);
    };
  }

  private static boolean fullMatch(String regex, String s) {
    try {
      return Pattern.compile(regex).matcher(s).matches();
    } catch (PatternSyntaxException e) {
      return false; // reported as MG308
    }
  }
}
