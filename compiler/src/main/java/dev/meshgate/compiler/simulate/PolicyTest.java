package dev.meshgate.compiler.simulate;

import dev.meshgate.compiler.Span;
import java.util.List;

/**
 * One {@code test "NAME" { expect … }} block of a policy, resolved from the syntax tree: what
 * {@link PolicySimulator} runs. {@code span} is the test's header.
 */
public record PolicyTest(String name, Span span, List<Expectation> expectations) {
  public PolicyTest {
    expectations = List.copyOf(expectations);
  }
}
