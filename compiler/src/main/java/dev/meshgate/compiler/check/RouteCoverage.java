package dev.meshgate.compiler.check;

import dev.meshgate.compiler.ast.RouteDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /**
   * What a route alternative matches on, normalised; empty path when the path is invalid (already
   * reported). {@code conditions} as text for set comparison, {@code conds} the same, structured.
   */
  record Match(Optional<Path> path, Set<String> methods, Set<String> conditions, List<Cond> conds) {
    static Match of(RouteDecl route) {
      return of(route.alternatives().getFirst());
    }

    static Match of(RouteDecl.Alternative route) {
      Set<String> methods = new TreeSet<>();
      route.methods().forEach(m -> methods.add(m.text()));
      Set<String> conditions = new TreeSet<>();
      List<Cond> conds = new ArrayList<>();
      for (RouteDecl.Condition c : route.conditions()) {
        String name =
            c.kind() == RouteDecl.Condition.Kind.HEADER
                ? c.name().value().toLowerCase(Locale.ROOT)
                : c.name().value();
        conditions.add(c.kind() + " " + name + (c.regex() ? " ~ " : " = ") + c.value().value());
        conds.add(new Cond(c.kind(), name, c.regex(), c.value().value()));
      }
      Optional<Path> path =
          switch (route.path()) {
            case RouteDecl.PathPattern.Literal l -> Path.literal(l.text());
            case RouteDecl.PathPattern.Regex r -> Optional.of(new Path.Regex(r.regex().value()));
          };
      return new Match(path, methods, conditions, List.copyOf(conds));
    }

    /** The exact condition the index files this match under: the first by key, if any. */
    Optional<Cond> discriminator() {
      Cond min = null;
      for (Cond c : conds) {
        if (!c.regex()
            && (min == null
                || c.key().compareTo(min.key()) < 0
                || (c.key().equals(min.key()) && c.value().compareTo(min.value()) < 0))) {
          min = c;
        }
      }
      return Optional.ofNullable(min);
    }

    /** The value an exact condition on {@code key} requires, if this match has one. */
    Optional<String> exact(String key) {
      for (Cond c : conds) {
        if (!c.regex() && c.key().equals(key)) {
          return Optional.of(c.value());
        }
      }
      return Optional.empty();
    }
  }

  /** One header or query condition; {@code name} lower case for headers. */
  record Cond(RouteDecl.Condition.Kind kind, String name, boolean regex, String value) {
    String key() {
      return kind + " " + name;
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
  static boolean under(String path, String base) {
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
