package dev.meshgate.compiler.ast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Span;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationLitTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "250ms|250|ms",
        "2s|2|s",
        "ms|''|ms",
        "10|10|''",
        "1.5s|1|.5s",
        "''|''|''",
        "٣s|''|٣s"
      })
  void splitsTheLeadingAsciiDigitsFromTheUnitAsWritten(String text, String amount, String unit) {
    DurationLit lit = new DurationLit(text, new Span("a.mesh", 1, 1, text.length()));

    assertThat(lit.amount()).isEqualTo(amount);
    assertThat(lit.unit()).isEqualTo(unit);
  }

  @Test
  void parsesWhatDurationsParses() {
    assertThat(new DurationLit("7d", new Span("a.mesh", 1, 1, 2)).value())
        .contains(Duration.ofDays(7));
    assertThat(new DurationLit("5y", new Span("a.mesh", 1, 1, 2)).value()).isEmpty();
  }
}
