package dev.meshgate.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @Test
  void everyUnit() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("999999999d")).isEqualTo(Duration.ofDays(999_999_999));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "5      | '5' has no unit; write a whole number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d",
        "5x     | '5x' is not a duration: unknown unit 'x'; write a whole number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d",
        "5S     | '5S': units are lower case, write 5s",
        "1.5s   | '1.5s' is not a duration: no fractions, use a smaller unit (1500ms, not 1.5s); write a whole number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d",
        "-1s    | '-1s' is not a duration: it must start with a number; write a whole number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d",
        "1h30m  | '1h30m' is not a duration: unknown unit 'h30m'; write a whole number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d",
        "' 2s'  | ' 2s' is not a duration: it must start with a number; write a whole number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d",
        "1234567890s | '1234567890s' is not a duration: the number is too large; write a whole number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d",
      })
  void aMistakeSaysWhatIsWrongAndHowToWriteIt(String text, String message) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void anEmptyDuration() {
    assertThatThrownBy(() -> Durations.parse(""))
        .hasMessage(
            "empty duration; write a whole number and a unit (ms, s, m, h or d), like 500ms, 2s,"
                + " 5m, 2h or 7d");
  }

  @Test
  void anAbsurdInputIsNotEchoedWhole() {
    String text = "1" + "x".repeat(100_000);
    assertThatThrownBy(() -> Durations.parse(text))
        .hasMessageStartingWith("'1xxxxxxx")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void formatUsesTheLargestExactUnitAndRoundTrips() {
    assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("1d");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0");
    for (String text : new String[] {"500ms", "2s", "5m", "2h", "7d", "0"}) {
      assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
  }
}
