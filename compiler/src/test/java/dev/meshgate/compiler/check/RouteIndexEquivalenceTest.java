package dev.meshgate.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.check.RouteCoverage.Cond;
import dev.meshgate.compiler.check.RouteCoverage.Match;
import dev.meshgate.compiler.check.RouteCoverage.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The indexed route analysis ({@link RouteIndex}) finds exactly what comparing every route with
 * every earlier one finds: the same first covering route (MG701) and the same first partial overlap
 * with the same witness request (MG730), on many seeded random hosts whose routes share paths,
 * prefixes, methods and conditions often enough to cover, overlap and contradict each other. The
 * pairwise analysis lives here only, as the oracle.
 */
class RouteIndexEquivalenceTest {

  /** The first earlier match that covers {@code later}: every earlier one, in order. */
  static int pairwiseFirstCovering(List<Match> earlier, Match later) {
    for (int i = 0; i < earlier.size(); i++) {
      if (RouteCoverage.covers(earlier.get(i), later)) {
        return i;
      }
    }
    return -1;
  }

  /** The first earlier match that partially overlaps {@code later}, with its witness. */
  static Optional<RouteOverlap.Found> pairwiseFirstOverlap(List<Match> earlier, Match later) {
    if (later.path().isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < earlier.size(); i++) {
      Match e = earlier.get(i);
      if (e.path().isEmpty() || RouteCoverage.covers(later, e) || RouteCoverage.covers(e, later)) {
        continue;
      }
      Optional<RouteOverlap.Request> request = RouteOverlap.witness(e, later);
      if (request.isPresent()) {
        return Optional.of(new RouteOverlap.Found(i, request.get()));
      }
    }
    return Optional.empty();
  }

  @Test
  void indexedAnalysisFindsWhatThePairwiseOneFinds() {
    Random random = new Random(17_3);
    int covered = 0;
    int overlapping = 0;
    for (int host = 0; host < 3000; host++) {
      int size = 1 + random.nextInt(host % 10 == 0 ? 120 : 30);
      List<Match> earlier = new ArrayList<>();
      RouteIndex index = new RouteIndex();
      for (int r = 0; r < size; r++) {
        Match later = randomMatch(random);
        int expectedCover = pairwiseFirstCovering(earlier, later);
        assertThat(index.firstCovering(later))
            .as("host %d route %d %s covered by, earlier %s", host, r, later, earlier)
            .isEqualTo(expectedCover);
        Optional<RouteOverlap.Found> expectedOverlap = pairwiseFirstOverlap(earlier, later);
        assertThat(index.firstOverlap(later))
            .as("host %d route %d %s overlapping, earlier %s", host, r, later, earlier)
            .isEqualTo(expectedOverlap);
        covered += expectedCover >= 0 ? 1 : 0;
        overlapping += expectedOverlap.isPresent() ? 1 : 0;
        earlier.add(later);
        index.add(later);
      }
    }
    // The generator is only worth something if both findings come up often.
    assertThat(covered).isGreaterThan(1000);
    assertThat(overlapping).isGreaterThan(1000);
  }

  private static final String[] SEGMENTS = {"a", "b", "c", "ab"};
  private static final String[] REGEXES = {
    "/.*", "^/.*$", "/a/.*", "^/a/[0-9]+$", "/b", "^/a/b$", "/(a|b)/c", "^/a/b?", "/c/x|/a", "/ab.*"
  };
  private static final String[] METHODS = {"GET", "POST", "PUT"};

  private static Match randomMatch(Random random) {
    Optional<Path> path = Optional.of(randomPath(random));
    if (random.nextInt(40) == 0) {
      path = Optional.empty(); // an invalid path, reported elsewhere
    }
    Set<String> methods = new TreeSet<>();
    if (random.nextInt(3) == 0) {
      int n = 1 + random.nextInt(2);
      for (int i = 0; i < n; i++) {
        methods.add(METHODS[random.nextInt(METHODS.length)]);
      }
    }
    Set<String> conditions = new TreeSet<>();
    List<Cond> conds = new ArrayList<>();
    int n = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0;
    for (int i = 0; i < n; i++) {
      RouteDecl.Condition.Kind kind =
          random.nextInt(3) == 0 ? RouteDecl.Condition.Kind.QUERY : RouteDecl.Condition.Kind.HEADER;
      String name = random.nextBoolean() ? "tenant" : "x";
      boolean regex = random.nextInt(4) == 0;
      String value =
          regex ? (random.nextBoolean() ? "a.*" : "[ab]") : (random.nextBoolean() ? "a" : "b");
      conditions.add(kind + " " + name + (regex ? " ~ " : " = ") + value);
      conds.add(new Cond(kind, name, regex, value));
    }
    return new Match(path, methods, conditions, List.copyOf(conds));
  }

  private static Path randomPath(Random random) {
    int kind = random.nextInt(10);
    if (kind == 0) {
      return new Path.Regex(REGEXES[random.nextInt(REGEXES.length)]);
    }
    if (kind == 1 && random.nextInt(4) == 0) {
      return new Path.Prefix(""); // the catch-all
    }
    StringBuilder p = new StringBuilder();
    int depth = 1 + random.nextInt(3);
    for (int i = 0; i < depth; i++) {
      p.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    if (random.nextInt(12) == 0) {
      p.append('/'); // a trailing slash: "/a/" is below /a/**
    }
    return kind < 5 ? new Path.Prefix(p.toString()) : new Path.Exact(p.toString());
  }
}
