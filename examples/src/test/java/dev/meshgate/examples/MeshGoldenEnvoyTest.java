package dev.meshgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.ProxyResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every mesh golden case of the compiler that compiles (strict, permissive, default allow and deny,
 * dry-run, call policies, gateway to meshed services) must also be accepted by a real Envoy: the
 * golden files pin the shape, this pins that Envoy takes it (RBAC, TLS contexts, tls_inspector, SDS
 * references).
 */
class MeshGoldenEnvoyTest {

  @TestFactory
  Stream<DynamicTest> envoyAcceptsEveryCompilingMeshCase() throws IOException {
    Path dir = ProjectRoot.find().resolve("compiler/src/test/resources/golden/mesh");
    List<Path> cases;
    try (Stream<Path> files = Files.list(dir)) {
      cases = files.filter(p -> p.toString().endsWith(PolicySources.EXTENSION)).sorted().toList();
    }
    assertThat(cases).isNotEmpty();
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c)));
  }

  private void check(Path file) throws Exception {
    Compilation compilation = Compiler.compile(PolicySources.load(List.of(file)));
    if (compilation.policy().isEmpty()) {
      return; // an error case: nothing to give Envoy
    }
    CompiledPolicy policy = compilation.policy().get();
    Envoy envoy = Envoy.require();
    String stem = file.getFileName().toString().replace(PolicySources.EXTENSION, "");
    for (ProxyResources group : policy.groups()) {
      envoy.assertAccepts(
          "golden-mesh-" + stem + "-" + group.group().fileStem(),
          StaticBootstrap.json(group, policy.ir()));
    }
  }
}
