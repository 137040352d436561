package dev.meshgate.compiler.simulate;

import java.util.ArrayList;
import java.util.List;

/**
 * How one expectation fared: what was expected and what the simulated Envoy did (both in the
 * language's own words, like {@code catalog.v1 90%, catalog.v2 10%}), whether the outcome matched,
 * one line per header check that failed, and the simulation itself (what decided, notes).
 */
public record ExpectationResult(
    Expectation expectation,
    Simulation simulation,
    String expected,
    String got,
    boolean outcomeMatches,
    List<CheckFailure> headerProblems) {
  public ExpectationResult {
    headerProblems = List.copyOf(headerProblems);
  }

  public boolean passed() {
    return outcomeMatches && headerProblems.isEmpty();
  }

  /** Every difference, one sentence each (for reports). */
  public List<String> problems() {
    List<String> all = new ArrayList<>();
    if (!outcomeMatches) {
      all.add("expected " + expectation.outcome() + ", got " + got);
    }
    headerProblems.forEach(p -> all.add(p.message()));
    return all;
  }

  /** A header check that does not hold, and why. */
  public record CheckFailure(Expectation.HeaderCheck check, String message) {}
}
