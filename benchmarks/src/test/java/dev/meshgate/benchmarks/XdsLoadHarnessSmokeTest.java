package dev.meshgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void theRealisticShapeChurnsEndpointsMixesDeltaAndSurvivesAReconnectStorm() throws Exception {
    // 4 services each calling 2 others, 8 proxies (2 per sidecar group, the gateway's share) half
    // on delta xDS; 100% of the 8 endpoints churned per second for 1 s: about 8 changes.
    var shape = new XdsLoadHarness.Shape.Realistic(2, 2, 100, Duration.ofSeconds(1), 3);
    var options =
        new XdsLoadHarness.Options(
            8,
            Duration.ofSeconds(90),
            4,
            1,
            1,
            false,
            Duration.ofMillis(50),
            shape,
            0.5,
            2,
            XdsLoadHarness.ServerJvm.inProcess(),
            Duration.ZERO);
    var log = new ByteArrayOutputStream();
    var result =
        new XdsLoadHarness(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    var printed = new ByteArrayOutputStream();
    HarnessReport.print(result, new PrintStream(printed, true, StandardCharsets.UTF_8));
    String report = log.toString(StandardCharsets.UTF_8) + printed.toString(StandardCharsets.UTF_8);

    assertThat(result.failures()).as(report).isEmpty();
    assertThat(result.groups()).isEqualTo(5);
    assertThat(result.served()).as(report).isEqualTo(8);
    assertThat(result.changes())
        .extracting(XdsLoadHarness.Fanout::what)
        .containsExactly("policy edit 1");
    assertThat(result.changes().get(0).updated()).as(report).isEqualTo(8);
    // every sidecar has clusters of the two services it calls and nothing else of the mesh
    assertThat(result.resourcesByProxy().get("proxy-1")).containsEntry("EDS", 2);
    var churn = result.churn().orElseThrow();
    assertThat(churn.changes()).as(report).isGreaterThanOrEqualTo(5);
    assertThat(churn.expected()).as(report).isPositive();
    assertThat(churn.acked() + churn.superseded()).as(report).isEqualTo(churn.expected());
    assertThat(churn.pending()).as(report).isZero();
    var storm = result.storm().orElseThrow();
    assertThat(storm.reconnected()).as(report).isEqualTo(8);
    assertThat(storm.refused()).isZero();
    // two storms, one after the other: each reported
    assertThat(report.split("reconnect storm: 8/8 proxies served again, 0 refused", -1))
        .as(report)
        .hasSize(3);
    assertThat(result.heapPerProxyBytes()).isPositive();
    assertThat(report)
        .contains(
            "| endpoint churn (",
            "| reconnect storm",
            "heap per proxy: ",
            "connect: CPU per proxy ",
            "reconnect storm: CPU per proxy ");
    assertThat(result.complete()).as(report).isTrue();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "a file per service: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void anEditOfOneServiceReachesItsGroupAndNoOtherProxy(boolean filePerService) throws Exception {
    // 4 services, 10 proxies (two per group): round r edits service r - 1's calls, so only the two
    // proxies of that sidecar group may get a new route table.
    var shape =
        new XdsLoadHarness.Shape.Realistic(
            2, 1, 1.0, Duration.ZERO, 3, XdsLoadHarness.Edit.ONE, filePerService);
    var options =
        new XdsLoadHarness.Options(
            10, Duration.ofSeconds(90), 4, 2, 1, true, Duration.ofMillis(50), shape, 0.5, false);
    var log = new ByteArrayOutputStream();
    var result =
        new XdsLoadHarness(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    String report = log.toString(StandardCharsets.UTF_8);

    assertThat(result.failures()).as(report).isEmpty();
    assertThat(result.changes())
        .extracting(
            XdsLoadHarness.Fanout::what,
            XdsLoadHarness.Fanout::updated,
            XdsLoadHarness.Fanout::expected,
            XdsLoadHarness.Fanout::bystanders)
        .as(report)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("policy edit 1", 2, 2, 0),
            org.assertj.core.groups.Tuple.tuple("policy edit 2", 2, 2, 0));
    assertThat(result.complete()).as(report).isTrue();
  }

  @Test
  void theServerInItsOwnJvmServesEveryProxyAndWeighsItsOwnHeap(@TempDir Path histograms)
      throws Exception {
    // The server in a child JVM (ForkedServer), 3 services, 8 proxies half on delta, mTLS, with
    // churn and a storm: the realistic run's every phase, with heap and CPU asked of the child.
    var shape = new XdsLoadHarness.Shape.Realistic(2, 2, 100, Duration.ofSeconds(1), 5);
    var server = new XdsLoadHarness.ServerJvm(true, Optional.of("512m"), Optional.of(histograms));
    var options =
        new XdsLoadHarness.Options(
            8,
            Duration.ofSeconds(120),
            3,
            1,
            1,
            false,
            Duration.ofMillis(50),
            shape,
            0.5,
            1,
            server,
            Duration.ZERO);
    var log = new ByteArrayOutputStream();
    var result =
        new XdsLoadHarness(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    var printed = new ByteArrayOutputStream();
    HarnessReport.print(result, new PrintStream(printed, true, StandardCharsets.UTF_8));
    String report = log.toString(StandardCharsets.UTF_8) + printed.toString(StandardCharsets.UTF_8);

    assertThat(result.failures()).as(report).isEmpty();
    assertThat(result.served()).as(report).isEqualTo(8);
    assertThat(result.resourcesByProxy()).hasSize(8);
    for (Map<String, Integer> byType : result.resourcesByProxy().values()) {
      assertThat(byType).containsOnlyKeys("CDS", "EDS", "LDS", "RDS");
      assertThat(byType.values()).allSatisfy(count -> assertThat(count).isPositive());
    }
    assertThat(result.changes())
        .singleElement()
        .satisfies(e -> assertThat(e.updated()).isEqualTo(8));
    assertThat(result.churn().orElseThrow().pending()).as(report).isZero();
    assertThat(result.storm().orElseThrow().reconnected()).as(report).isEqualTo(8);
    // the heap figures are the child's: the idle server holds its policy and snapshots
    assertThat(result.heapIdleBytes()).isGreaterThan(result.heapBaselineBytes());
    assertThat(result.heapPerProxyBytes()).as(report).isPositive();
    assertThat(report)
        .contains("own JVM, pid ", "server=own-jvm", "the server's own JVM", "policy edits ")
        // both processes' CPU over the edit, from /proc: the machine's share of its wall time
        .containsPattern(
            "policy edit 1: process CPU over its \\d+ ms: server \\d+ ms, simulated Envoys \\d+ ms"
                + " \\(\\d+\\.\\d of \\d+ cores busy\\)");
    assertThat(Files.readString(histograms.resolve("connected.txt"))).contains("dev.meshgate.xds.");
    assertThat(histograms.resolve("idle.txt")).isNotEmptyFile();
    assertThat(histograms.resolve("edited.txt")).isNotEmptyFile();
    assertThat(result.complete()).as(report).isTrue();
  }

  @Test
  void anEditOfOneServiceChangesOnlyThatServicesCalls() {
    var mesh = new RealisticMesh(5, 2, 1, 17);
    String before = mesh.text(1, XdsLoadHarness.Edit.ONE);
    String after = mesh.text(2, XdsLoadHarness.Edit.ONE);
    // round 2 adds service s1's calls to the edited ones (s0's were edited in round 1)
    assertThat(lines(before, "call s0 ")).allSatisfy(l -> assertThat(l).endsWith("timeout 3s }"));
    assertThat(lines(before, "call s1 ")).allSatisfy(l -> assertThat(l).endsWith("timeout 1s }"));
    assertThat(lines(after, "call s1 ")).allSatisfy(l -> assertThat(l).endsWith("timeout 3s }"));
    assertThat(lines(after, "call s2 ")).allSatisfy(l -> assertThat(l).endsWith("timeout 1s }"));
    assertThat(before.lines().filter(l -> !l.startsWith("call s1 ")))
        .containsExactlyElementsOf(after.lines().filter(l -> !l.startsWith("call s1 ")).toList());
    assertThat(RealisticMesh.editedGroup(2))
        .isEqualTo(dev.meshgate.compiler.ProxyGroup.sidecar("s1"));
  }

  @Test
  void theMeshInAFilePerServiceIsTheSamePolicy() {
    var mesh = new RealisticMesh(6, 2, 1, 17);
    var files = IncrementalEdits.files(mesh, 2);
    assertThat(files)
        .extracting(dev.meshgate.compiler.Source::name)
        .containsExactly(
            "mesh.mesh", "s0.mesh", "s1.mesh", "s2.mesh", "s3.mesh", "s4.mesh", "s5.mesh");
    var whole =
        dev.meshgate.compiler.Compiler.compile(
            java.util.List.of(
                new dev.meshgate.compiler.Source(
                    "load.mesh", mesh.text(2, XdsLoadHarness.Edit.ONE))));
    var split = dev.meshgate.compiler.Compiler.compile(files);
    assertThat(split.diagnostics()).isEmpty();
    // the same IR but for where each rule was written
    java.util.function.Function<dev.meshgate.compiler.Compilation, String> ir =
        c ->
            dev.meshgate.compiler.ir.IrYaml.render(c.policy().orElseThrow().ir())
                .replaceAll("origin: \\S+", "origin: …");
    assertThat(ir.apply(split)).isEqualTo(ir.apply(whole)).contains("origin: …");
    // round 3 edits s2: that file alone differs
    var next = IncrementalEdits.files(mesh, 3);
    assertThat(
            java.util.stream.IntStream.range(0, files.size())
                .filter(i -> !files.get(i).equals(next.get(i)))
                .mapToObj(i -> files.get(i).name()))
        .containsExactly("s2.mesh");
  }

  private static java.util.List<String> lines(String text, String prefix) {
    var lines = text.lines().filter(l -> l.startsWith(prefix)).toList();
    assertThat(lines).isNotEmpty();
    return lines;
  }

  @Test
  void theRealisticMeshIsSeeded() {
    var mesh = new RealisticMesh(1000, 10, 3, 17);
    assertThat(mesh.callees(5)).hasSize(10).doesNotContain(5).isEqualTo(mesh.callees(5));
    assertThat(new RealisticMesh(1000, 10, 3, 18).callees(5)).isNotEqualTo(mesh.callees(5));
    assertThat(mesh.text(0)).isEqualTo(new RealisticMesh(1000, 10, 3, 17).text(0));
  }

  @Test
  void deltaClientsAreSpreadEvenly() {
    var o = XdsLoadHarness.Options.parse("--proxies", "10", "--delta", "0.3");
    assertThat(java.util.stream.IntStream.range(0, 10).filter(o::delta).count()).isEqualTo(3);
    assertThat(XdsLoadHarness.Options.parse("--proxies", "10").delta(0)).isFalse();
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
    var realistic =
        XdsLoadHarness.Options.parse(
            "--shape",
            "realistic",
            "--services",
            "1000",
            "--calls",
            "12",
            "--churn",
            "5s",
            "--delta",
            "0.25",
            "--reconnect-storm");
    assertThat(realistic.shape())
        .isEqualTo(new XdsLoadHarness.Shape.Realistic(12, 3, 1.0, Duration.ofSeconds(5), 17));
    assertThat(realistic.deltaFraction()).isEqualTo(0.25);
    assertThat(realistic.reconnectStorm()).isTrue();
    assertThat(realistic.reconnectStorms()).isEqualTo(1);
    assertThat(XdsLoadHarness.Options.parse("--reconnect-storms", "3").reconnectStorms())
        .isEqualTo(3);
    assertThat(XdsLoadHarness.Options.parse("--settle", "20s").settle())
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(realistic.settle()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> XdsLoadHarness.Options.parse("--settle", "6m"))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> XdsLoadHarness.Options.parse("--reconnect-storms", "11"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(realistic.serverJvm()).isEqualTo(XdsLoadHarness.ServerJvm.inProcess());
    var forked = XdsLoadHarness.Options.parse("--server-process", "--server-xmx", "2g").serverJvm();
    assertThat(forked.own()).isTrue();
    assertThat(forked.maxHeap()).contains("2g");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> XdsLoadHarness.Options.parse("--server-xmx", "2g"))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> XdsLoadHarness.Options.parse("--shape", "realistic", "--services", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> XdsLoadHarness.Options.parse("--delta", "1.5"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(XdsLoadHarness.Options.parse("--shape", "realistic", "--edit", "one").shape())
        .isEqualTo(
            new XdsLoadHarness.Shape.Realistic(
                10, 3, 1.0, Duration.ofSeconds(10), 17, XdsLoadHarness.Edit.ONE));
    assertThat(
            XdsLoadHarness.Options.parse("--shape", "realistic", "--edit", "one", "--files")
                .shape())
        .isEqualTo(
            new XdsLoadHarness.Shape.Realistic(
                10, 3, 1.0, Duration.ofSeconds(10), 17, XdsLoadHarness.Edit.ONE, true));
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            XdsLoadHarness.Options.parse(
                "--shape", "realistic", "--edit", "one", "--services", "3", "--rounds", "4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rounds must be at most --services");
  }
}
