package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.discovery.testing.ConsulDevAgent;
import dev.meshgate.discovery.testing.KubernetesMockApi;
import dev.meshgate.discovery.testing.KubernetesObjects;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example under {@code examples/} is served by a real meshgate (over TLS, with its own CA) to
 * a real Envoy per gateway and per sidecar, and Envoy accepts all of it. Examples bind the fixed
 * ports they document (the quickstart listens on 127.0.0.1:10000), so they run strictly one at a
 * time, each torn down before the next starts.
 *
 * <p>Examples whose services come from a catalog are served from a live one: a real {@code consul
 * agent -dev} ({@link ConsulDevAgent}; without a consul binary that example is skipped, and under
 * {@code CI=true} it fails) or fabric8's mock API server ({@link KubernetesMockApi}), with
 * instances registered for every subset, and their clusters must reach Envoy with those instances.
 */
@ExtendWith(PrintLogsOnFailure.class)
class ExamplesServeIT {
  @TempDir static Path work;

  @TestFactory
  Stream<DynamicTest> everyExampleIsAcceptedByEnvoy() throws IOException {
    RequiredEnvoy.path();
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

  private static void serve(Path example) throws Exception {
    Compilation compilation = Compiler.compile(PolicySources.load(List.of(example)));
    assertThat(compilation.policy())
        .as(
            "%s compiles; diagnostics:%n%s",
            example,
            compilation.diagnostics().stream()
                .map(Diagnostic::render)
                .collect(Collectors.joining("\n")))
        .isPresent();
    CompiledPolicy compiled = compilation.policy().orElseThrow();
    Path dir = work.resolve(example.getFileName().toString());
    List<EnvoyProcess> envoys = new ArrayList<>();
    // Services from Consul or Kubernetes get instances there (a real dev agent, the mock API
    // server), so that every example is served, whatever its sources.
    try (LiveCatalogs catalogs = LiveCatalogs.populate(compiled.ir().services())) {
      MeshgateProcess meshgate =
          MeshgateProcess.start(
              example, dir, catalogs.jvmOptions(), catalogs.serveArgs().toArray(String[]::new));
      try {
        for (ProxyResources group : compiled.groups()) {
          String name = group.group().name();
          int listeners = group.listeners().size();
          EnvoyProcess envoy =
              group.group().role() == ProxyGroup.Role.GATEWAY
                  ? GatewayStack.startEnvoy(name, meshgate, dir, listeners)
                  : GatewayStack.startSidecar(name, meshgate, dir, listeners);
          envoys.add(envoy);
          XdsStatus.awaitAcked(
              meshgate,
              envoy.nodeId(),
              group.group().key(),
              XdsStatus.typesOf(group),
              Duration.ofSeconds(10));
          envoy.assertNothingRejected();
          assertThat(envoy.stat("control_plane.connected_state")).hasValue(1);
          assertThat(activeListenerNames(envoy))
              .as("listeners of %s in Envoy", group.group().key())
              .containsExactlyInAnyOrderElementsOf(
                  group.listeners().stream().map(Listener::getName).toList());
          assertThat(envoy.stat("cluster_manager.active_clusters").orElse(0))
              .as("clusters: meshgate's xDS cluster and the group's")
              .isEqualTo(group.clusters().size() + 1L);
          assertThat(envoy.stat("cluster_manager.warming_clusters")).hasValue(0);
          // Catalog-sourced clusters hold exactly the instances registered for them (those
          // with the subset's labels), so meshgate really read Consul / the API server.
          for (ClusterEndpoints wanted : group.endpoints()) {
            catalogs
                .expectedHosts(wanted)
                .ifPresent(hosts -> awaitHosts(envoy, wanted.cluster(), hosts));
          }
          // Endpoint updates arrived after the first ACK: acked again, and nothing refused.
          XdsStatus.awaitAcked(
              meshgate,
              envoy.nodeId(),
              group.group().key(),
              XdsStatus.typesOf(group),
              Duration.ofSeconds(10));
        }
        assertThat(envoys).as("gateways and sidecars in %s", example).isNotEmpty();
        for (EnvoyProcess envoy : envoys) {
          envoy.assertNothingRejected(); // also after every group has connected
        }
      } finally {
        Closer.closeAll(
            Stream.concat(envoys.stream(), Stream.of(meshgate)).toArray(AutoCloseable[]::new));
      }
    }
  }

  private static void awaitHosts(EnvoyProcess envoy, String cluster, Set<String> hosts) {
    Wait.until(
        Duration.ofSeconds(10),
        "Envoy's /clusters to list " + hosts + " for cluster " + cluster,
        () ->
            envoy
                .clusters()
                .lines()
                .filter(l -> l.startsWith(cluster + "::") && l.contains("::health_flags::"))
                .map(l -> l.split("::")[1])
                .collect(Collectors.toCollection(TreeSet::new))
                .equals(hosts));
    System.err.println(
        "ExamplesServeIT: cluster " + cluster + " has its catalog instances " + hosts);
  }

  /**
   * The live catalogs an example's services come from, filled with one instance per subset of each
   * service (labelled with the subset's selector; one unlabelled instance for a service without
   * subsets), each a real {@link Backend}: a dev Consul agent for {@code source consul}, fabric8's
   * mock API server for {@code source kubernetes}. Neither is started for an example that does not
   * need it.
   */
  private static final class LiveCatalogs implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> serveArgs = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();

    /** Per catalog-sourced service: its instances' addresses and labels. */
    private final Map<String, Map<String, Map<String, String>>> instances = new TreeMap<>();

    static LiveCatalogs populate(List<ServiceIr> services) throws Exception {
      LiveCatalogs catalogs = new LiveCatalogs();
      try {
        catalogs.fill(services);
        return catalogs;
      } catch (Exception | AssertionError e) {
        catalogs.close();
        throw e;
      }
    }

    private void fill(List<ServiceIr> services) throws Exception {
      Optional<ConsulDevAgent> consul = Optional.empty();
      Optional<KubernetesMockApi> kubernetes = Optional.empty();
      for (ServiceIr service : services) {
        switch (service.source()) {
          case ServiceSource.Static s -> {}
          case ServiceSource.Consul c -> {
            if (consul.isEmpty()) {
              consul =
                  Optional.of(
                      keep(ConsulDevAgent.start("zone-a"))); // fails under CI=true when missing
              serveArgs.addAll(List.of("--consul", consul.get().address()));
            }
            int i = 0;
            for (Map<String, String> labels : labelSets(service)) {
              Backend backend = keep(Backend.start(service.name() + "-" + ++i));
              // Meta keys cannot hold ':', so "tag:x" selectors become tags (docs/discovery.md).
              List<String> tags = new ArrayList<>();
              c.tag().ifPresent(tags::add);
              Map<String, String> meta = new TreeMap<>();
              labels.forEach((k, v) -> {
                if (k.startsWith("tag:")) {
                  tags.add(k.substring("tag:".length()));
                } else {
                  meta.put(k, v);
                }
              });
              consul
                  .get()
                  .register(
                      backend.name(), c.service(), backend.port(), tags, meta, Optional.empty());
              instance(service, backend, labels);
            }
          }
          case ServiceSource.Kubernetes k -> {
            if (kubernetes.isEmpty()) {
              kubernetes = Optional.of(keep(KubernetesMockApi.start()));
              jvmOptions.addAll(kubernetes.get().jvmOptions());
              serveArgs.add("--kubernetes");
            }
            KubernetesMockApi api = kubernetes.get();
            // A port number is the Service's port, named "http" here; the slices list the
            // target port under that name, as the EndpointSlice controller writes them.
            boolean numbered = k.port().chars().allMatch(Character::isDigit);
            String portName = numbered ? "http" : k.port();
            int servicePort = numbered ? Integer.parseInt(k.port()) : 80;
            api.create(
                KubernetesObjects.service(
                    k.namespace(),
                    k.name(),
                    KubernetesObjects.servicePort(portName, servicePort, 8080)));
            int i = 0;
            for (Map<String, String> labels : labelSets(service)) {
              Backend backend = keep(Backend.start(k.name() + "-" + ++i));
              Map<String, String> podLabels = new TreeMap<>(labels);
              podLabels.put("app", k.name());
              api.create(
                  KubernetesObjects.pod(k.namespace(), backend.name(), podLabels),
                  KubernetesObjects.slice(
                      k.namespace(),
                      backend.name(),
                      k.name(),
                      portName,
                      backend.port(),
                      KubernetesObjects.endpoint(
                          k.namespace(), "127.0.0.1", backend.name(), "zone-a")));
              instance(service, backend, podLabels);
            }
          }
        }
      }
    }

    /** One label set per subset; a single empty one for a service without subsets. */
    private static List<Map<String, String>> labelSets(ServiceIr service) {
      if (service.subsets().isEmpty()) {
        return List.of(Map.of());
      }
      return service.subsets().stream()
          .map(s -> (Map<String, String>) s.selector())
          .distinct()
          .toList();
    }

    private void instance(ServiceIr service, Backend backend, Map<String, String> labels) {
      instances
          .computeIfAbsent(service.name(), n -> new TreeMap<>())
          .put(backend.address(), Map.copyOf(labels));
    }

    private <T extends AutoCloseable> T keep(T resource) {
      resources.add(resource);
      return resource;
    }

    List<String> serveArgs() {
      return serveArgs;
    }

    List<String> jvmOptions() {
      return jvmOptions;
    }

    /** The hosts a catalog-sourced cluster must have; empty for a static one. */
    Optional<Set<String>> expectedHosts(ClusterEndpoints wanted) {
      if (wanted.source() instanceof ServiceSource.Static) {
        return Optional.empty();
      }
      Map<String, Map<String, String>> of = instances.getOrDefault(wanted.service(), Map.of());
      Set<String> hosts = new TreeSet<>();
      of.forEach((address, labels) -> {
        if (labels.entrySet().containsAll(wanted.selector().entrySet())) {
          hosts.add(address);
        }
      });
      return Optional.of(hosts);
    }

    @Override
    public void close() {
      Closer.closeAll(resources.reversed().toArray(AutoCloseable[]::new));
    }
  }

  private static List<String> activeListenerNames(EnvoyProcess envoy) {
    JsonNode statuses = envoy.listeners().path("listener_statuses");
    return StreamSupport.stream(statuses.spliterator(), false)
        .map(s -> s.path("name").asText())
        .toList();
  }
}
