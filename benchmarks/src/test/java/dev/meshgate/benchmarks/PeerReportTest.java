package dev.meshgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The side-by-side report: ratios of the means, and what makes a run not count. */
class PeerReportTest {
  private static PeerComparison.Step step(String what, double allMs, long cpuMs, double compile) {
    return new PeerComparison.Step(
        what,
        2,
        2,
        allMs,
        allMs / 2,
        cpuMs,
        compile > 0 ? OptionalDouble.of(compile) : OptionalDouble.empty());
  }

  private static PeerComparison.Pass pass(String server, int cds, double changeMs, double compile) {
    return new PeerComparison.Pass(
        server,
        "1",
        step("connect", 100, 40, 0),
        List.of(step("change 4", changeMs, 20, compile)),
        Map.of("proxy-0", Map.of("CDS", cds), "proxy-1", Map.of("CDS", cds)),
        List.of());
  }

  @Test
  void printsMeshgateOverThePeerAndPublishWithoutCompile() {
    var out = new ByteArrayOutputStream();
    boolean ok =
        PeerReport.print(
            List.of(pass("meshgate", 3, 60, 20), pass("go-control-plane", 3, 10, 0)),
            new PrintStream(out, true, StandardCharsets.UTF_8));

    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(ok).isTrue();
    assertThat(report)
        .containsPattern("change: all proxies ACKed \\(ms\\) +60\\.0 +10\\.0 +6\\.00")
        .containsPattern("change: all ACKed minus compile +40\\.0 +10\\.0 +4\\.00")
        .doesNotContain("FAILED");
  }

  @Test
  void aPeerThatServedOtherResourcesFailsTheRun() {
    List<String> problems =
        PeerReport.problems(
            List.of(pass("meshgate", 3, 60, 20), pass("go-control-plane", 2, 10, 0)));

    assertThat(problems)
        .containsExactly(
            "go-control-plane pass 1: its proxies got other resource counts than the first pass's");
  }
}
