package dev.meshgate.compiler.simulate;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One {@code expect}: a request, what must happen to it, and the headers that must result. {@code
 * span} covers the statement, {@code outcomeSpan} what follows {@code =>}; {@code sourceLine} and
 * {@code outcomeSourceLine} are the text of the lines they start on, so a failure can show them
 * without reading the file again. {@code burst} is how many such requests are sent at once ({@code
 * expect burst 11 …}, local rate limits, issue 13; 1 without it): the outcome is the last one's.
 */
public record Expectation(
    TestRequest request,
    ExpectedOutcome outcome,
    List<HeaderCheck> checks,
    Span span,
    Span outcomeSpan,
    String sourceLine,
    String outcomeSourceLine,
    int burst) {
  public Expectation {
    checks = List.copyOf(checks);
  }

  /** One request (no {@code burst}). */
  public Expectation(
      TestRequest request,
      ExpectedOutcome outcome,
      List<HeaderCheck> checks,
      Span span,
      Span outcomeSpan,
      String sourceLine,
      String outcomeSourceLine) {
    this(request, outcome, checks, span, outcomeSpan, sourceLine, outcomeSourceLine, 1);
  }

  /**
   * {@code with request-header "x-via" = "edge"}: the upstream gets it; {@code response-header}:
   * the client does.
   */
  public record HeaderCheck(
      Direction direction, String name, String value, Span span, String sourceLine) {
    public enum Direction {
      REQUEST,
      RESPONSE;

      public String keyword() {
        return name().toLowerCase(Locale.ROOT) + "-header";
      }
    }

    public HeaderCheck {
      name = name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return direction.keyword() + " \"" + name + "\" = \"" + value + "\"";
    }
  }

  /**
   * The outcome and header checks as written, for messages: {@code catalog.v2 with request-header
   * "x" = "y"}.
   */
  public String expectedText() {
    if (checks.isEmpty()) {
      return outcome.toString();
    }
    return outcome + checks.stream().map(c -> " with " + c).collect(Collectors.joining());
  }
}
