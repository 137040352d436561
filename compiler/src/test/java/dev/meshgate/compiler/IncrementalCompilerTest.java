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

  @Test
  void givesWhatACompileFromScratchGivesForEveryVersion() {
    var incremental = new IncrementalCompiler();
    for (List<Source> version :
        List.of(
            policy("1s", 8002),
            policy("2s", 8002),
            policy("2s", 8012),
            policy("2s", 8012),
            policy("1s", 8002))) {
      Compilation again = incremental.compile(version);
      Compilation scratch = Compiler.compile(version);
      assertThat(again.diagnostics()).isEqualTo(scratch.diagnostics());
      assertThat(again.policy()).isEqualTo(scratch.policy());
    }
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
    // three of the four files and two of the three groups came back unchanged
    assertThat(incremental.reuse()).isEqualTo(new IncrementalCompiler.Reuse(3, 2));
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
  void keepsNoEarlierVersionsIrOfAGroupItReuses() throws InterruptedException {
    var incremental = new IncrementalCompiler();
    java.lang.ref.WeakReference<Object> firstIrOfC = compileAndWatchC(incremental, "1s");
    compileAndWatchC(incremental, "2s"); // c's group is reused: only its IR is new
    for (int i = 0; i < 100 && firstIrOfC.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(firstIrOfC.get()).as("the first compile's IR of c, now unreferenced").isNull();
  }

  /** Compiles and translates, and returns a weak reference to the IR of c's sidecar. */
  private static java.lang.ref.WeakReference<Object> compileAndWatchC(
      IncrementalCompiler incremental, String timeout) {
    Compilation compilation = incremental.compile(policy(timeout, 8002));
    var policy = compilation.policy().orElseThrow();
    policy.groups();
    var c =
        policy.ir().sidecars().stream()
            .filter(s -> s.service().equals("c"))
            .findFirst()
            .orElseThrow();
    return new java.lang.ref.WeakReference<>(c);
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
