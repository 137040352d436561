package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example under {@code examples/} is served by a real meshgate to a real Envoy per
 * gateway, and Envoy accepts all of it. Examples bind the fixed ports they document (the
 * quickstart listens on 127.0.0.1:10000), so they run strictly one at a time, each torn
 * down before the next starts.
 */
@ExtendWith(PrintLogsOnFailure.class)
class ExamplesServeIT {
  @TempDir static Path work;

  @TestFactory
  Stream<DynamicTest> everyExampleIsAcceptedByEnvoy() throws IOException {
    EnvoyBinary.require();
    List<Path> examples = exampleDirectories(ProjectRoot.get().resolve("examples"));
    assertThat(examples).as("example directories (with *.mesh) under examples/").isNotEmpty();
    return examples.stream()
        .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> serve(dir)));
  }

  /** Directories holding *.mesh files, outside build output and test fixtures. */
  static List<Path> exampleDirectories(Path examples) throws IOException {
    if (!Files.isDirectory(examples)) {
      return List.of();
    }
    Set<Path> dirs = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(examples)) {
      walk.filter(p -> p.toString().endsWith(PolicySources.EXTENSION) && Files.isRegularFile(p))
          .filter(p -> !isExcluded(examples.relativize(p)))
          .forEach(p -> dirs.add(p.getParent()));
    }
    return List.copyOf(dirs);
  }

  private static boolean isExcluded(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("target") || name.equals("src") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static void serve(Path example) throws IOException {
    Compilation compilation = Compiler.compile(PolicySources.load(List.of(example)));
    assertThat(compilation.policy())
        .as(
            "%s compiles; diagnostics:%n%s",
            example,
            compilation.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining("\n")))
        .isPresent();
    CompiledPolicy compiled = compilation.policy().orElseThrow();
    Path dir = work.resolve(example.getFileName().toString());
    List<EnvoyProcess> envoys = new ArrayList<>();
    MeshgateProcess meshgate = MeshgateProcess.start(example, dir);
    try {
      for (ProxyResources group : compiled.groups()) {
        if (group.group().role() != ProxyGroup.Role.GATEWAY) {
          continue; // v1 serves gateways only
        }
        EnvoyProcess envoy =
            GatewayStack.startEnvoy(group.group().name(), meshgate, dir, group.listeners().size());
        envoys.add(envoy);
        XdsStatus.awaitAllAcked(meshgate, envoy.nodeId(), group.group().key(), Duration.ofSeconds(10));
        envoy.assertNothingRejected();
        assertThat(envoy.stat("control_plane.connected_state")).hasValue(1);
        assertThat(activeListenerNames(envoy))
            .as("listeners of %s in Envoy", group.group().key())
            .containsExactlyInAnyOrderElementsOf(group.listeners().stream().map(Listener::getName).toList());
        assertThat(envoy.stat("cluster_manager.active_clusters").orElse(0))
            .as("clusters: meshgate's xDS cluster and the group's")
            .isEqualTo(group.clusters().size() + 1L);
        assertThat(envoy.stat("cluster_manager.warming_clusters")).hasValue(0);
      }
      assertThat(envoys).as("gateways in %s", example).isNotEmpty();
      for (EnvoyProcess envoy : envoys) {
        envoy.assertNothingRejected(); // also after every group has connected
      }
    } finally {
      Closer.closeAll(Stream.concat(envoys.stream(), Stream.of(meshgate)).toArray(AutoCloseable[]::new));
    }
  }

  private static List<String> activeListenerNames(EnvoyProcess envoy) {
    JsonNode statuses = envoy.listeners().path("listener_statuses");
    return StreamSupport.stream(statuses.spliterator(), false).map(s -> s.path("name").asText()).toList();
  }
}
