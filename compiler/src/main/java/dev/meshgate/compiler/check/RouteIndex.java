package dev.meshgate.compiler.check;

import dev.meshgate.compiler.check.RouteCoverage.Match;
import dev.meshgate.compiler.check.RouteCoverage.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The route alternatives of one host so far, indexed so that the route analysis (shadowing, MG701;
 * partial overlaps, MG730) looks only at earlier routes that could cover or overlap a new one
 * instead of at every earlier route: by path (exact paths and prefix bases in sorted maps, so a
 * path's ancestors and a prefix's descendants are lookups and ranges; regexes apart), and within a
 * path by one exact condition (a route on {@code header "tenant" = "a"} can neither cover nor
 * overlap one on {@code header "tenant" = "b"}). A host of thousands of routes stays linear in
 * practice; only regex paths and catch-alls with conditions are compared with many.
 */
final class RouteIndex {
  private final List<Match> matches = new ArrayList<>();
  // Sorted for the ranges below a prefix; the hash maps hold the same buckets for lookups.
  private final TreeMap<String, Bucket> exact = new TreeMap<>();
  private final TreeMap<String, Bucket> prefix = new TreeMap<>();
  private final Map<String, Bucket> exactByPath = new HashMap<>();
  private final Map<String, Bucket> prefixByBase = new HashMap<>();
  private final Bucket regex = new Bucket();

  /** The matches of one path, split by their discriminating exact condition. */
  private static final class Bucket {
    final List<Integer> plain = new ArrayList<>();
    final Map<String, Map<String, List<Integer>>> byCondition = new HashMap<>();

    void add(int index, Match match) {
      Optional<RouteCoverage.Cond> d = match.discriminator();
      if (d.isEmpty()) {
        plain.add(index);
      } else {
        byCondition
            .computeIfAbsent(d.get().key(), k -> new HashMap<>())
            .computeIfAbsent(d.get().value(), k -> new ArrayList<>())
            .add(index);
      }
    }

    /**
     * Those that may cover {@code later}: their discriminator must be one of its conditions. Adds
     * lists of indexes, each in ascending order.
     */
    void mayCover(Match later, List<List<Integer>> into) {
      into.add(plain);
      if (byCondition.isEmpty()) {
        return;
      }
      for (RouteCoverage.Cond c : later.conds()) {
        if (!c.regex()) {
          Map<String, List<Integer>> byValue = byCondition.get(c.key());
          if (byValue != null) {
            List<Integer> same = byValue.get(c.value());
            if (same != null) {
              into.add(same);
            }
          }
        }
      }
    }

    /** Those that may overlap {@code later}: no exact condition of its contradicts theirs. */
    void mayOverlap(Match later, List<List<Integer>> into) {
      into.add(plain);
      byCondition.forEach(
          (key, byValue) -> {
            Optional<String> value = later.exact(key);
            if (value.isPresent()) {
              List<Integer> same = byValue.get(value.get());
              if (same != null) {
                into.add(same);
              }
            } else {
              into.addAll(byValue.values());
            }
          });
    }
  }

  Match get(int index) {
    return matches.get(index);
  }

  void add(Match match) {
    int index = matches.size();
    matches.add(match);
    if (match.path().isEmpty()) {
      return; // an invalid path covers nothing
    }
    Bucket bucket =
        switch (match.path().get()) {
          case Path.Exact e -> bucket(exact, exactByPath, e.path());
          case Path.Prefix p -> bucket(prefix, prefixByBase, p.base());
          case Path.Regex r -> regex;
        };
    bucket.add(index, match);
  }

  private static Bucket bucket(
      TreeMap<String, Bucket> sorted, Map<String, Bucket> byKey, String key) {
    Bucket b = byKey.get(key);
    if (b == null) {
      b = new Bucket();
      byKey.put(key, b);
      sorted.put(key, b);
    }
    return b;
  }

  /** The index of the first match added that covers {@code later}, or -1. */
  int firstCovering(Match later) {
    if (later.path().isEmpty()) {
      return -1;
    }
    List<List<Integer>> candidates = new ArrayList<>();
    for (Bucket b : coverBuckets(later.path().get())) {
      b.mayCover(later, candidates);
    }
    return first(candidates, i -> RouteCoverage.covers(matches.get(i), later));
  }

  /**
   * The index of the first match added that can take a request {@code later} also matches, where
   * neither covers the other, with such a request; empty when there is none (or none we can name).
   */
  Optional<RouteOverlap.Found> firstOverlap(Match later) {
    if (later.path().isEmpty()) {
      return Optional.empty();
    }
    List<List<Integer>> candidates = new ArrayList<>();
    List<Bucket> buckets = new ArrayList<>(coverBuckets(later.path().get()));
    switch (later.path().get()) {
      case Path.Exact e -> {}
      case Path.Prefix q -> {
        Optional.ofNullable(exactByPath.get(q.base())).ifPresent(buckets::add);
        descendants(prefix, q.base(), buckets);
        descendants(exact, q.base(), buckets);
      }
      case Path.Regex r -> {} // coverBuckets has them all already
    }
    for (Bucket b : buckets) {
      b.mayOverlap(later, candidates);
    }
    int i =
        first(
            candidates,
            j -> {
              Match earlier = matches.get(j);
              return !RouteCoverage.covers(later, earlier)
                  && !RouteCoverage.covers(earlier, later)
                  && RouteOverlap.witness(earlier, later).isPresent();
            });
    // The witness is a pure function of the pair: computed again for the one found.
    return i < 0
        ? Optional.empty()
        : Optional.of(
            new RouteOverlap.Found(i, RouteOverlap.witness(matches.get(i), later).orElseThrow()));
  }

  /**
   * The smallest index in {@code lists} (each ascending, possibly repeated) that passes {@code
   * test}, or -1: the same answer as testing every index in order, but each list stops at its first
   * pass or at the best index found so far, with no set of candidates built and sorted.
   */
  private static int first(List<List<Integer>> lists, IntPredicate test) {
    int best = Integer.MAX_VALUE;
    for (List<Integer> list : lists) {
      for (int i : list) {
        if (i >= best) {
          break;
        }
        if (test.test(i)) {
          best = i;
          break;
        }
      }
    }
    return best == Integer.MAX_VALUE ? -1 : best;
  }

  /** Buckets whose routes could cover a route on {@code path}: its ancestors, regexes. */
  private List<Bucket> coverBuckets(Path path) {
    List<Bucket> buckets = new ArrayList<>();
    buckets.add(regex);
    switch (path) {
      case Path.Exact e -> {
        Optional.ofNullable(exactByPath.get(e.path())).ifPresent(buckets::add);
        ancestors(e.path(), buckets);
      }
      case Path.Prefix q -> ancestors(q.base(), buckets);
      case Path.Regex r -> {
        // Rare: every path may be involved.
        buckets.addAll(prefix.values());
        buckets.addAll(exact.values());
      }
    }
    return buckets;
  }

  /** The prefix buckets whose base is {@code path} or above it on a segment boundary. */
  private void ancestors(String path, List<Bucket> into) {
    Optional.ofNullable(prefixByBase.get(path)).ifPresent(into::add);
    for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      Bucket b = prefixByBase.get(path.substring(0, i));
      if (b != null && !into.contains(b)) {
        into.add(b);
      }
    }
  }

  /** Buckets strictly below {@code base} ({@code base/…}); for the catch-all base "" all. */
  private static void descendants(
      NavigableMap<String, Bucket> map, String base, List<Bucket> into) {
    if (base.isEmpty()) {
      map.forEach(
          (k, b) -> {
            if (!k.isEmpty()) {
              into.add(b);
            }
          });
      return;
    }
    // '0' is the character after '/': the range holds exactly the keys starting "base/".
    into.addAll(map.subMap(base + "/", true, base + "0", false).values());
  }
}
