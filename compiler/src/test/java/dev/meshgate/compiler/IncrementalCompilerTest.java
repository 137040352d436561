package dev.meshgate.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IncrementalCompilerTest {
  private static final String MESH =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      """;

  private static String service(String name, int port) {
    return """
    service %s {
      source static 127.0.0.1:%d
      sidecar {
        inbound 127.0.0.1:%d
        app 127.0.0.1:%d
      }
    }
    """
        .formatted(name, port, port + 100, port + 200);
  }

  private static String call(String from, String to, String timeout) {
    return "allow %s -> %s\ncall %s -> %s { timeout %s }\n".formatted(from, to, from, to, timeout);
  }

  private static List<Source> policy(String aToB, int bPort) {
    return List.of(
        new Source("mesh.mesh", MESH),
        new Source("a.mesh", service("a", 8001) + call("a", "b", aToB)),
        new Source("b.mesh", service("b", bPort) + call("b", "c", "1s")),
        new Source("c.mesh", service("c", 8003)));
  }

  private static Map<ProxyGroup, ProxyResources> groups(Compilation compilation) {
    return compilation.policy().orElseThrow().groups().stream()
        .collect(Collectors.toMap(ProxyResources::group, Function.identity()));
  }

  private static ProxyResources sidecarA(Compilation compilation) {
    return compilation.policy().orElseThrow().groups().stream()
        .filter(g -> g.group().equals(ProxyGroup.sidecar("a")))
        .findFirst()
        .orElseThrow();
  }

  private static final List<Source> BROKEN =
      List.of(
          new Source("mesh.mesh", MESH),
          new Source("a.mesh", service("a", 8001) + "call a -> nowhere { timeout 1s }\n"),
          new Source("b.mesh", service("b", 8002)));

  @org.junit.jupiter.params.ParameterizedTest(name = "lowering ahead of the checker: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void givesWhatACompileFromScratchGivesForEveryVersion(boolean ahead) {
    var incremental =
        ahead ? IncrementalCompiler.lowersAheadOfTheChecker() : new IncrementalCompiler();
    for (List<Source> version :
        List.of(
            policy("1s", 8002),
            policy("2s", 8002),
            BROKEN,
            policy("2s", 8012),
            policy("2s", 8012),
            BROKEN,
            BROKEN,
            policy("1s", 8002))) {
      Compilation again = incremental.compile(version);
      Compilation scratch = Compiler.compile(version);
      assertThat(again.diagnostics()).isEqualTo(scratch.diagnostics());
      assertThat(again.policy()).isEqualTo(scratch.policy()); // IR, groups and tests
    }
  }

  @Test
  void aheadOfTheCheckerAnEditStillTranslatesOnlyTheCallersGroup() {
    var incremental = IncrementalCompiler.lowersAheadOfTheChecker();
    var before = groups(incremental.compile(policy("1s", 8002)));
    incremental.compile(BROKEN); // lowered ahead and thrown away
    var after = groups(incremental.compile(policy("2s", 8002)));

    assertThat(after.get(ProxyGroup.sidecar("a")))
        .isNotEqualTo(before.get(ProxyGroup.sidecar("a")));
    assertThat(after.get(ProxyGroup.sidecar("c"))).isSameAs(before.get(ProxyGroup.sidecar("c")));
  }

  @Test
  void anEditOfOneCallTranslatesOnlyTheCallersGroupAndParsesOnlyItsFile() {
    var incremental = new IncrementalCompiler();
    var before = groups(incremental.compile(policy("1s", 8002)));
    var after = groups(incremental.compile(policy("2s", 8002)));

    assertThat(after.get(ProxyGroup.sidecar("a")))
        .isNotEqualTo(before.get(ProxyGroup.sidecar("a")));
    assertThat(after.get(ProxyGroup.sidecar("b"))).isSameAs(before.get(ProxyGroup.sidecar("b")));
    assertThat(after.get(ProxyGroup.sidecar("c"))).isSameAs(before.get(ProxyGroup.sidecar("c")));
    // three of the four files, two of the three sidecars and two of the three groups came back
    assertThat(incremental.reuse()).isEqualTo(new IncrementalCompiler.Reuse(3, 2, 2));
  }

  @Test
  void aGroupTranslatedAgainKeepsTheClustersWhoseInputsAreUnchanged() {
    // a's call timeout is in its routes; its cluster of b is the same, so it is the same instance
    // (the server then neither writes nor hashes it again), while its routes are new.
    var incremental = IncrementalCompiler.lowersAheadOfTheChecker();
    ProxyResources before = sidecarA(incremental.compile(policy("1s", 8002)));
    ProxyResources after = sidecarA(incremental.compile(policy("2s", 8002)));

    assertThat(after.routes()).isNotEqualTo(before.routes());
    assertThat(after.clusters()).hasSameSizeAs(before.clusters());
    var callee = before.clusters().stream().filter(c -> c.getName().contains("b")).toList();
    assertThat(callee).hasSize(1);
    assertThat(after.clusters()).anySatisfy(c -> assertThat(c).isSameAs(callee.get(0)));
  }

  @Test
  void aServiceWhoseAddressChangesIsTranslatedAgainForItsCallers() {
    // b's static address is not part of a's sidecar IR, only of the endpoints a's cluster of b
    // resolves: a must not get its old resources back.
    var incremental = new IncrementalCompiler();
    var before = groups(incremental.compile(policy("1s", 8002)));
    var after = groups(incremental.compile(policy("1s", 8012)));

    ProxyResources a = java.util.Objects.requireNonNull(after.get(ProxyGroup.sidecar("a")));
    ProxyResources old = java.util.Objects.requireNonNull(before.get(ProxyGroup.sidecar("a")));
    assertThat(a).isNotSameAs(old);
    assertThat(a.endpoints()).isNotEqualTo(old.endpoints());
    assertThat(after.get(ProxyGroup.sidecar("c"))).isSameAs(before.get(ProxyGroup.sidecar("c")));
  }

  @Test
  void aPolicyWithErrorsInBetweenChangesNothingThatFollows() {
    var incremental = new IncrementalCompiler();
    var first = groups(incremental.compile(policy("1s", 8002)));
    List<Source> broken =
        List.of(
            new Source("mesh.mesh", MESH),
            new Source("a.mesh", service("a", 8001) + "call a -> nowhere { timeout 1s }\n"));
    Compilation failed = incremental.compile(broken);
    assertThat(failed.hasErrors()).isTrue();
    assertThat(failed.diagnostics()).isEqualTo(Compiler.compile(broken).diagnostics());

    var again = groups(incremental.compile(policy("1s", 8002)));
    assertThat(again).isEqualTo(first);
    // c's group was last translated two compiles ago: still the same instance
    assertThat(again.get(ProxyGroup.sidecar("c"))).isSameAs(first.get(ProxyGroup.sidecar("c")));
  }

  @Test
  void keepsOneIrOfAnUnchangedGroupAcrossCompiles() {
    // c's file and inputs are unchanged: the second compile's policy holds the first's IR of c
    // (not an equal copy beside it), and the translator hands back its resources.
    var incremental = new IncrementalCompiler();
    var first = incremental.compile(policy("1s", 8002)).policy().orElseThrow();
    var second = incremental.compile(policy("2s", 8002)).policy().orElseThrow();

    assertThat(sidecarOfC(second)).isSameAs(sidecarOfC(first));
    assertThat(groups(second).get(ProxyGroup.sidecar("c")))
        .isSameAs(groups(first).get(ProxyGroup.sidecar("c")));
  }

  private static Object sidecarOfC(CompiledPolicy policy) {
    return policy.ir().sidecars().stream()
        .filter(s -> s.service().equals("c"))
        .findFirst()
        .orElseThrow();
  }

  private static Map<ProxyGroup, ProxyResources> groups(CompiledPolicy policy) {
    return policy.groups().stream()
        .collect(Collectors.toMap(ProxyResources::group, Function.identity()));
  }

  @Test
  void bytesThatAreNotUtf8AreParsedEveryTime() {
    var incremental = new IncrementalCompiler();
    Source malformed = Source.decode("bad.mesh", new byte[] {'s', 'e', (byte) 0xFF});
    Compilation one = incremental.compile(List.of(malformed));
    Compilation two = incremental.compile(List.of(malformed));
    assertThat(two.diagnostics()).isEqualTo(one.diagnostics()).isNotEmpty();
    assertThat(incremental.reuse().files()).isZero();
  }
}
