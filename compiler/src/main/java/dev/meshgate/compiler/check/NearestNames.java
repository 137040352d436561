package dev.meshgate.compiler.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The tail of an "unknown name" message: the declared names a mistyped one was probably meant to
 * be, or the declared names themselves while they are few. A policy with 300 services must not
 * answer a typo with all 300 of them. The CLI uses {@link #nearest} for mistyped subcommands.
 */
public final class NearestNames {

  /** Declared names are listed only up to this many; beyond it the message counts them. */
  static final int LIST_AT_MOST = 5;

  /** Suggestions offered at most, when several names are equally near. */
  private static final int SUGGEST_AT_MOST = 3;

  /** One kind of declared name, and how a message speaks of it. */
  record Kind(Collection<String> names, String none, String listed, String counted) {

    /** Names declared at the top level, like services: "declared services: a, b". */
    static Kind declared(String plural, Collection<String> names) {
      return new Kind(
          names,
          "no " + plural + " are declared",
          "declared " + plural + ": ",
          "none of the %d declared " + plural + " is close");
    }

    /** Names one declaration owns, like a service's subsets: "its subsets: a, b". */
    static Kind owned(String plural, Collection<String> names) {
      return new Kind(
          names,
          "it declares no " + plural,
          "its " + plural + ": ",
          "none of its %d " + plural + " is close");
    }

    private String describe() {
      if (names.isEmpty()) {
        return none;
      }
      if (names.size() <= LIST_AT_MOST) {
        return listed + String.join(", ", new TreeSet<>(names));
      }
      return counted.formatted(names.size());
    }
  }

  private NearestNames() {}

  /**
   * {@code did you mean "svc-10"?} when a declared name is within a small edit distance of {@code
   * name}; otherwise what is declared, per kind, joined by "; ".
   */
  static String hint(String name, Kind... kinds) {
    List<String> all = new ArrayList<>();
    for (Kind kind : kinds) {
      all.addAll(kind.names());
    }
    List<String> near = nearest(name, all);
    if (!near.isEmpty()) {
      return "did you mean "
          + String.join(" or ", near.stream().map(n -> "\"" + n + "\"").toList())
          + "?";
    }
    List<String> parts = new ArrayList<>();
    for (Kind kind : kinds) {
      parts.add(kind.describe());
    }
    return String.join("; ", parts);
  }

  /**
   * The declared names nearest to {@code name} by Levenshtein distance, alphabetically; empty when
   * none is near enough to be a plausible typo: one edit for names up to five characters, two for
   * longer ones, none for names of one or two characters ("v2" is not a typo of "v1").
   */
  public static List<String> nearest(String name, Collection<String> declared) {
    if (name.length() <= 2) {
      return List.of();
    }
    int limit = name.length() <= 5 ? 1 : 2;
    LevenshteinDistance bounded = new LevenshteinDistance(limit);
    LevenshteinDistance exact = LevenshteinDistance.getDefaultInstance();
    String look = lookalike(name);
    // Rank by edits, then by edits between lookalike forms, so "svc-1o" means "svc-10"
    // rather than "svc-11", both one edit away.
    Comparator<String> rank =
        Comparator.<String>comparingInt(c -> bounded.apply(name, c))
            .thenComparingInt(c -> exact.apply(look, lookalike(c)));
    List<String> near =
        declared.stream()
            .filter(c -> !c.equals(name))
            .filter(
                c -> {
                  int d = bounded.apply(name, c);
                  return d >= 0 && d < c.length();
                })
            .sorted(rank.thenComparing(Comparator.naturalOrder()))
            .toList();
    if (near.isEmpty()) {
      return List.of();
    }
    String first = near.get(0);
    return near.stream().filter(c -> rank.compare(c, first) == 0).limit(SUGGEST_AT_MOST).toList();
  }

  /** Lower case with the characters people type for one another folded together. */
  private static String lookalike(String name) {
    return name.toLowerCase(Locale.ROOT)
        .replace('0', 'o')
        .replace('1', 'l')
        .replace('i', 'l')
        .replace('_', '-');
  }
}
