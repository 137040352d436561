package dev.meshgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the load harness working (it is never run by the build otherwise). Not a performance test:
 * it asserts what every proxy got, not how fast; the numbers live in docs/benchmarks.md.
 */
class XdsLoadHarnessSmokeTest {

  @Test
  void fiveProxiesGetEveryResourceTypeAndEveryChange() throws Exception {
    // The duration is only a bound (the run ends when every proxy got every change); on a loaded
    // 2-core CI machine the server alone once took 9 s to start, so leave room.
    var options =
        new XdsLoadHarness.Options(
            5, Duration.ofSeconds(90), 2, 1, 1, false, Duration.ofMillis(50));
    var log = new ByteArrayOutputStream();
    var result =
        new XdsLoadHarness(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();

    assertThat(result.failures()).as(log.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(result.served()).isEqualTo(5);
    assertThat(result.resourcesByProxy()).hasSize(5);
    for (Map<String, Integer> byType : result.resourcesByProxy().values()) {
      assertThat(byType).containsOnlyKeys("CDS", "EDS", "LDS", "RDS");
      assertThat(byType.values()).allSatisfy(count -> assertThat(count).isPositive());
    }
    assertThat(result.changes())
        .extracting(XdsLoadHarness.Fanout::what)
        .containsExactly("policy edit 1", "endpoint change 1");
    assertThat(result.changes()).allSatisfy(change -> assertThat(change.updated()).isEqualTo(5));
    assertThat(result.complete()).isTrue();
  }

  @Test
  void optionsParseAndAreBounded() {
    var o = XdsLoadHarness.Options.parse("--proxies", "50", "--duration", "500ms", "--insecure");
    assertThat(o.proxies()).isEqualTo(50);
    assertThat(o.duration()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.insecure()).isTrue();
    assertThat(XdsLoadHarness.Options.parse("--duration", "2m").duration())
        .isEqualTo(Duration.ofMinutes(2));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> XdsLoadHarness.Options.parse("--proxies", "0"))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> XdsLoadHarness.Options.parse("--duration", "2h"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
