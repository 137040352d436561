package dev.meshgate.compiler.check;

import dev.meshgate.compiler.ast.RouteDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether an earlier route of a host takes every request a later one would match, so the later one
 * can never match (Envoy tries routes in order, first match wins). Sound, not complete: "covers" is
 * claimed only when it holds for every request; whenever a regex makes that hard to decide the
 * answer is no. Envoy matches a path regex against the whole path, so {@code ^} and {@code $} are
 * implied.
 */
final class RouteCoverage {
  private RouteCoverage() {}

  /** Regex bodies (between optional {@code ^} and {@code $}) that match every path. */
  private static final Set<String> CATCH_ALL_REGEXES =
      Set.of(".*", "/.*", "(.*)", "/(.*)", "(?:.*)", "/(?:.*)");

  /** What a route matches on, normalised; null path when the path is invalid (already reported). */
  record Match(Optional<Path> path, Set<String> methods, Set<String> conditions) {
    static Match of(RouteDecl route) {
      Set<String> methods = new TreeSet<>();
      route.methods().forEach(m -> methods.add(m.text()));
      Set<String> conditions = new TreeSet<>();
      for (RouteDecl.Condition c : route.conditions()) {
        String name =
            c.kind() == RouteDecl.Condition.Kind.HEADER
                ? c.name().value().toLowerCase(Locale.ROOT)
                : c.name().value();
        conditions.add(c.kind() + " " + name + (c.regex() ? " ~ " : " = ") + c.value().value());
      }
      Optional<Path> path =
          switch (route.path()) {
            case RouteDecl.PathPattern.Literal l -> Path.literal(l.text());
            case RouteDecl.PathPattern.Regex r -> Optional.of(new Path.Regex(r.regex().value()));
          };
      return new Match(path, methods, conditions);
    }
  }

  /** A route's path: exact, prefix ({@code /a/**}: base "/a"; {@code /**}: base ""), or regex. */
  sealed interface Path {
    record Exact(String path) implements Path {}

    record Prefix(String base) implements Path {}

    record Regex(String regex) implements Path {}

    /** Empty when '*' appears anywhere but a final {@code /**} (MG312 reports it). */
    static Optional<Path> literal(String text) {
      if (text.endsWith("/**")) {
        String base = text.substring(0, text.length() - 3);
        return base.contains("*") ? Optional.empty() : Optional.of(new Prefix(base));
      }
      return text.contains("*") ? Optional.empty() : Optional.of(new Exact(text));
    }
  }

  /**
   * The routes of one host so far, indexed by path, so that finding the first one that covers a new
   * route looks only at those whose path could cover it (its path's ancestors, catch-alls and
   * regexes) instead of every earlier route: a host with thousands of routes stays linear.
   */
  static final class Index {
    private final List<Match> matches = new ArrayList<>();
    private final Map<String, List<Integer>> exact = new HashMap<>();
    private final Map<String, List<Integer>> prefix = new HashMap<>();
    private final List<Integer> regex = new ArrayList<>();

    void add(Match match) {
      int index = matches.size();
      matches.add(match);
      if (match.path().isEmpty()) {
        return; // an invalid path covers nothing
      }
      switch (match.path().get()) {
        case Path.Exact e -> exact.computeIfAbsent(e.path(), k -> new ArrayList<>()).add(index);
        case Path.Prefix p -> prefix.computeIfAbsent(p.base(), k -> new ArrayList<>()).add(index);
        case Path.Regex r -> regex.add(index);
      }
    }

    /** The index of the first route added that covers {@code later}, or -1. */
    int firstCovering(Match later) {
      if (later.path().isEmpty()) {
        return -1;
      }
      TreeSet<Integer> candidates = new TreeSet<>(regex);
      candidates.addAll(prefix.getOrDefault("", List.of()));
      switch (later.path().get()) {
        case Path.Exact e -> {
          candidates.addAll(exact.getOrDefault(e.path(), List.of()));
          ancestors(e.path(), candidates);
        }
        case Path.Prefix q -> ancestors(q.base(), candidates);
        case Path.Regex r -> {
          // Rare: look at every earlier route.
          for (int i = 0; i < matches.size(); i++) {
            candidates.add(i);
          }
        }
      }
      for (int i : candidates) {
        if (covers(matches.get(i), later)) {
          return i;
        }
      }
      return -1;
    }

    /** The prefix routes whose base is {@code path} or above it on a segment boundary. */
    private void ancestors(String path, Set<Integer> into) {
      into.addAll(prefix.getOrDefault(path, List.of()));
      for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
        into.addAll(prefix.getOrDefault(path.substring(0, i), List.of()));
      }
    }
  }

  /** Whether every request {@code later} matches is matched by {@code earlier}. */
  static boolean covers(Match earlier, Match later) {
    return earlier.path().isPresent()
        && later.path().isPresent()
        && (earlier.methods().isEmpty()
            || (!later.methods().isEmpty() && earlier.methods().containsAll(later.methods())))
        && later.conditions().containsAll(earlier.conditions())
        && pathCovers(earlier.path().get(), later.path().get());
  }

  static boolean pathCovers(Path earlier, Path later) {
    return switch (earlier) {
      case Path.Prefix p when p.base().isEmpty() -> true;
      case Path.Prefix p ->
          switch (later) {
            case Path.Exact e -> under(e.path(), p.base());
            case Path.Prefix q -> under(q.base(), p.base());
            case Path.Regex r -> {
              RegexPrefix lit = literalPrefix(r.regex());
              // The literal part must reach past the segment boundary: "/a/" is under /a/**, "/a"
              // could go on as "/ab".
              yield lit.prefix().startsWith(p.base() + "/")
                  || (lit.whole() && under(lit.prefix(), p.base()));
            }
          };
      case Path.Exact e ->
          switch (later) {
            case Path.Exact f -> f.path().equals(e.path());
            case Path.Prefix q -> false;
            case Path.Regex r -> {
              RegexPrefix lit = literalPrefix(r.regex());
              yield lit.whole() && lit.prefix().equals(e.path());
            }
          };
      case Path.Regex r ->
          isCatchAllRegex(r.regex())
              || (later instanceof Path.Regex s && s.regex().equals(r.regex()));
    };
  }

  /** {@code path} is {@code base} or below it on a segment boundary. */
  private static boolean under(String path, String base) {
    return path.equals(base) || path.startsWith(base + "/");
  }

  /** A regex that clearly matches every path, like {@code ^/.*$}. */
  static boolean isCatchAllRegex(String regex) {
    String body = regex.startsWith("^") ? regex.substring(1) : regex;
    if (body.endsWith("$") && !body.endsWith("\\$")) {
      body = body.substring(0, body.length() - 1);
    }
    return CATCH_ALL_REGEXES.contains(body);
  }

  /**
   * The literal text every match of {@code regex} starts with; {@code whole} when the regex is
   * nothing but that literal (it matches exactly one path).
   */
  record RegexPrefix(String prefix, boolean whole) {}

  static RegexPrefix literalPrefix(String regex) {
    if (hasTopLevelAlternation(regex)) {
      return new RegexPrefix("", false);
    }
    int i = regex.startsWith("^") ? 1 : 0;
    StringBuilder literal = new StringBuilder();
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
        literal.append(regex.charAt(i + 1));
        i += 2;
      } else if (c == '\\' || ".[](){}*+?|^$".indexOf(c) >= 0) {
        break;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (i < regex.length() && "*?{".indexOf(regex.charAt(i)) >= 0 && !literal.isEmpty()) {
      // The last literal character is optional or repeated a number of times we do not parse.
      literal.setLength(literal.length() - 1);
      return new RegexPrefix(literal.toString(), false);
    }
    boolean whole = i == regex.length() || (i == regex.length() - 1 && regex.charAt(i) == '$');
    return new RegexPrefix(literal.toString(), whole);
  }

  /** A '|' outside every group and character class: the regex is several alternatives. */
  private static boolean hasTopLevelAlternation(String regex) {
    int depth = 0;
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
        if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
          i++;
        }
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
          i++; // a ']' first in a class is literal
        }
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth <= 0) {
        return true;
      }
    }
    return false;
  }
}
