package dev.meshgate.compiler.simulate;

import java.util.List;

/** A test passes when every expectation in it holds. */
public record TestResult(PolicyTest test, List<ExpectationResult> expectations) {
  public TestResult {
    expectations = List.copyOf(expectations);
  }

  public boolean passed() {
    return expectations.stream().allMatch(ExpectationResult::passed);
  }

  public List<ExpectationResult> failures() {
    return expectations.stream().filter(e -> !e.passed()).toList();
  }
}
