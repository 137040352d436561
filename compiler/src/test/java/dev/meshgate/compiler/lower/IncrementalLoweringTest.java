package dev.meshgate.compiler.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.check.PolicyChecker;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.SidecarIr;
import dev.meshgate.compiler.parse.PolicyParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class IncrementalLoweringTest {
  private static final String MESH =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      """;

  private static String service(String name, int port, String extra) {
    return """
    service %s {
      source static 127.0.0.1:%d
      %s
      sidecar {
        inbound 127.0.0.1:%d
        app 127.0.0.1:%d
      }
    }
    """
        .formatted(name, port, extra, port + 100, port + 200);
  }

  /** a calls b, b calls c; {@code bExtra} goes into b's declaration. */
  private static List<PolicyFile> policy(String mesh, String bExtra, String aCallsB) {
    return parse(
        mesh,
        service("a", 8001, "") + "allow a -> b\ncall a -> b { timeout %s }\n".formatted(aCallsB),
        service("b", 8002, bExtra) + "allow b -> c\ncall b -> c { timeout 1s }\n",
        service("c", 8003, ""));
  }

  private static List<PolicyFile> parse(String... texts) {
    List<PolicyFile> files = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      var parsed = PolicyParser.parse(new Source("f" + i + ".mesh", texts[i]));
      assertThat(parsed.diagnostics()).isEmpty();
      files.add(parsed.file());
    }
    assertThat(PolicyChecker.check(files)).noneMatch(d -> d.isError());
    return files;
  }

  private static SidecarIr sidecar(PolicyIr ir, String service) {
    return ir.sidecars().stream()
        .filter(s -> s.service().equals(service))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void anUnchangedSidecarIsTheSameInstanceAndAnEditedOneIsLoweredAgain() {
    var lowering = new IncrementalLowering();
    PolicyIr before = lowering.lower(policy(MESH, "", "1s"));
    List<PolicyFile> edited = policy(MESH, "", "2s"); // every file parsed again: equal, not same
    PolicyIr after = lowering.lower(edited);

    assertThat(after).isEqualTo(Lowering.lower(edited));
    assertThat(sidecar(after, "a")).isNotEqualTo(sidecar(before, "a"));
    assertThat(sidecar(after, "b")).isSameAs(sidecar(before, "b"));
    assertThat(sidecar(after, "c")).isSameAs(sidecar(before, "c"));
    assertThat(lowering.reused()).isEqualTo(2);
  }

  @Test
  void aCallerIsLoweredAgainWhenWhatItLooksUpOfItsCalleeChanges() {
    var lowering = new IncrementalLowering();
    PolicyIr first = lowering.lower(policy(MESH, "", "1s"));
    // b's protocol is not part of a's own declarations, only of what a's lowering looks up
    List<PolicyFile> grpc = policy(MESH, "protocol grpc", "1s");
    PolicyIr second = lowering.lower(grpc);

    assertThat(second).isEqualTo(Lowering.lower(grpc));
    assertThat(sidecar(second, "a")).isNotEqualTo(sidecar(first, "a"));
    assertThat(sidecar(second, "c")).isSameAs(sidecar(first, "c"));
  }

  @Test
  void everySidecarIsLoweredAgainWhenTheMeshChanges() {
    var lowering = new IncrementalLowering();
    lowering.lower(policy(MESH, "", "1s"));
    List<PolicyFile> permissive = policy(MESH.replace("strict", "permissive"), "", "1s");

    assertThat(lowering.lower(permissive)).isEqualTo(Lowering.lower(permissive));
    assertThat(lowering.reused()).isZero();
  }

  @Test
  void aCallerIsLoweredAgainWhenItsCalleeLeavesTheMesh() {
    var lowering = new IncrementalLowering();
    lowering.lower(policy(MESH, "", "1s"));
    List<PolicyFile> unmeshed =
        parse(
            MESH,
            service("a", 8001, "") + "call a -> c { timeout 1s }\n",
            "service c { source static 127.0.0.1:8003 }\n");
    List<PolicyFile> meshed =
        parse(
            MESH,
            service("a", 8001, "") + "allow a -> c\ncall a -> c { timeout 1s }\n",
            service("c", 8003, ""));
    for (List<PolicyFile> version : List.of(meshed, unmeshed, meshed)) {
      assertThat(lowering.lower(version)).isEqualTo(Lowering.lower(version));
    }
  }

  /**
   * Every pair of the golden policies with sidecars, the first lowered before the second: whatever
   * the previous policy left behind, the result is what a lowering from scratch gives.
   */
  @Test
  void givesWhatALoweringFromScratchGivesAfterAnyOtherPolicy() throws IOException {
    List<List<PolicyFile>> policies = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources/golden"))) {
      for (Path path : files.filter(p -> p.toString().endsWith(".mesh")).sorted().toList()) {
        String text = Files.readString(path);
        var parsed = PolicyParser.parse(new Source(path.getFileName().toString(), text));
        List<PolicyFile> one = List.of(parsed.file());
        if (text.contains("sidecar")
            && parsed.diagnostics().stream().noneMatch(d -> d.isError())
            && PolicyChecker.check(one).stream().noneMatch(d -> d.isError())) {
          policies.add(one);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    assertThat(policies).hasSizeGreaterThan(15);
    long reused = 0;
    for (List<PolicyFile> previous : policies) {
      for (List<PolicyFile> next : policies) {
        var lowering = new IncrementalLowering();
        lowering.lower(previous);
        assertThat(lowering.lower(next)).isEqualTo(Lowering.lower(next));
        reused += lowering.reused();
      }
    }
    assertThat(reused).as("sidecars reused across the pairs").isPositive();
  }

  @Test
  void keepsTheNewerOfTwoEqualInputs() throws InterruptedException {
    var lowering = new IncrementalLowering();
    List<PolicyFile> first = policy(MESH, "", "1s");
    lowering.lower(first);
    var firstFileOfC = new java.lang.ref.WeakReference<>(first.get(3));
    first = null;
    lowering.lower(policy(MESH, "", "2s")); // c reused: its inputs now come from this parse
    for (int i = 0; i < 100 && firstFileOfC.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(firstFileOfC.get()).as("the first parse of c's file, now unreferenced").isNull();
  }
}
