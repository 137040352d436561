package dev.meshgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated Envoys' retry schedule: Envoy's full-jitter exponential backoff, seeded. */
class StreamBackoffTest {
  private static final Duration BASE = Duration.ofMillis(500);

  @Test
  void theNthDelayIsBelowTheBaseTimesTwoToTheNUpToTheCap() {
    StreamBackoff backoff = new StreamBackoff(17);
    // 500 ms, 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s (not 32 s) for ever
    long[] ceilingsMs = {500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000};
    for (long ceilingMs : ceilingsMs) {
      assertThat(backoff.next())
          .isBetween(Duration.ZERO, Duration.ofMillis(ceilingMs).minusNanos(1));
    }
  }

  @Test
  void atTheCapTheDelaysSpreadOverTheWholeRange() {
    // full jitter, not ±20% around the interval: a fleet that failed at once does not come back
    // at once
    StreamBackoff backoff = new StreamBackoff(17);
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      delays.add(backoff.next());
    }
    List<Duration> atCap = delays.subList(10, delays.size());
    assertThat(atCap).allSatisfy(d -> assertThat(d).isLessThan(StreamBackoff.ENVOY_CAP));
    assertThat(atCap).anySatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(3)));
    assertThat(atCap).anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofSeconds(27)));
  }

  @Test
  void aResetStartsAgainFromTheBaseInterval() {
    StreamBackoff backoff = new StreamBackoff(17);
    for (int i = 0; i < 20; i++) {
      backoff.next();
    }
    backoff.reset();
    assertThat(backoff.next()).isLessThan(BASE);
    assertThat(backoff.next()).isLessThan(BASE.multipliedBy(2));
  }

  @Test
  void theSameSeedGivesTheSameDelaysAndAnotherSeedOthers() {
    assertThat(delays(new StreamBackoff(17), 12)).isEqualTo(delays(new StreamBackoff(17), 12));
    assertThat(delays(new StreamBackoff(17), 12)).isNotEqualTo(delays(new StreamBackoff(18), 12));
  }

  @Test
  void aSmallCapIsTheCeilingFromTheStart() {
    StreamBackoff backoff = new StreamBackoff(BASE, BASE, 3);
    assertThat(delays(backoff, 50)).allSatisfy(d -> assertThat(d).isLessThan(BASE));
  }

  @Test
  void aBaseAboveTheCapOrNotPositiveIsRefused() {
    assertThatThrownBy(() -> new StreamBackoff(BASE, Duration.ofMillis(100), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StreamBackoff(Duration.ZERO, BASE, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Duration> delays(StreamBackoff backoff, int n) {
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      delays.add(backoff.next());
    }
    return delays;
  }
}
