package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.IncrementalCompiler;
import dev.meshgate.compiler.Source;
import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Subscription;
import dev.meshgate.xds.identity.CertificateAuthority;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload publishes only the groups a rebuild could change (issue 17.1): what each group is served
 * after it is what rebuilding every group would give.
 */
class PublisherTest {
  private final Catalog catalog = new Catalog();
  private final IncrementalCompiler compiler = new IncrementalCompiler();
  private final List<SortedSet<String>> viewChanges = new CopyOnWriteArrayList<>();
  private Publisher publisher;

  @BeforeEach
  void start(@TempDir Path caDir) throws Exception {
    Clock clock = Clock.systemUTC();
    publisher =
        new Publisher(
            new AdsCache(new AdsGroups()),
            catalog,
            new IdentitySecrets(
                CertificateAuthority.loadOrCreate(caDir), Duration.ofHours(2), clock),
            Optional.empty(),
            Optional.empty(),
            clock);
    publisher.coalesceEndpointChanges(Duration.ofHours(1)); // no flush of its own in a test
    publisher.onViewChanged(viewChanges::add);
  }

  @AfterEach
  void stop() {
    publisher.close();
  }

  @Test
  void aReloadRebuildsTheGroupsUsingAServiceWhoseEndpointsChangedMeanwhile() {
    publisher.apply(policy("1s", "1s"));
    SortedMap<String, TypeVersions> first = publisher.view().groups();

    catalog.set("b", List.of(Endpoint.of("127.0.0.1", 9001), Endpoint.of("127.0.0.1", 9002)));
    publisher.apply(policy("2s", "1s")); // a's call changes; c calls b, whose endpoints moved

    SortedMap<String, TypeVersions> second = publisher.view().groups();
    assertThat(second.get("sidecar:a").routes()).isNotEqualTo(first.get("sidecar:a").routes());
    assertThat(second.get("sidecar:c").endpoints())
        .as("c's endpoints of b, coalesced when the reload came, go out with the reload")
        .isNotEqualTo(first.get("sidecar:c").endpoints());
    assertThat(second.get("sidecar:c").routes()).isEqualTo(first.get("sidecar:c").routes());
    assertThat(second.get("sidecar:b")).isEqualTo(first.get("sidecar:b"));
    assertThat(second.get("gateway:edge").endpoints())
        .isNotEqualTo(first.get("gateway:edge").endpoints());
    assertThat(viewChanges.getLast()).containsExactly("gateway:edge", "sidecar:a", "sidecar:c");
  }

  @Test
  void aReloadThatChangesOneGroupLeavesTheOthersAsTheyWere() {
    publisher.apply(policy("1s", "1s"));
    SortedMap<String, TypeVersions> first = publisher.view().groups();

    publisher.apply(policy("1s", "3s"));

    SortedMap<String, TypeVersions> second = publisher.view().groups();
    assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
    assertThat(second.get("sidecar:c").routes()).isNotEqualTo(first.get("sidecar:c").routes());
    for (String group : List.of("sidecar:a", "sidecar:b", "gateway:edge")) {
      assertThat(second.get(group)).as(group).isEqualTo(first.get(group));
    }
    assertThat(viewChanges.getLast()).containsExactly("sidecar:c");
  }

  @Test
  void aGroupLeavingThePolicyGetsAnEmptyConfigurationAndANewOneItsOwn() {
    publisher.apply(policy("1s", "1s"));
    SortedMap<String, TypeVersions> first = publisher.view().groups();

    publisher.apply(
        compile(
            text("1s", "1s")
                .replace("service c ", "service d ")
                .replace("\"c\"", "\"d\"")
                .replace("c -> b", "d -> b")));

    SortedMap<String, TypeVersions> second = publisher.view().groups();
    assertThat(second).containsKey("sidecar:d").doesNotContainKey("sidecar:c");
    assertThat(second.get("sidecar:a")).isEqualTo(first.get("sidecar:a"));
    assertThat(viewChanges.getLast())
        .as("b: who may call it changed")
        .containsExactly("sidecar:b", "sidecar:c", "sidecar:d");
    assertThat(catalog.watched()).containsExactly("b");
  }

  @Test
  void aGroupCallingAnotherServiceSubscribesToItAndTheLastCallerOfOneUnsubscribes() {
    publisher.apply(policy("1s", "1s"));
    SortedMap<String, TypeVersions> first = publisher.view().groups();

    publisher.apply(compile(text("1s", "1s").replace("c -> b", "c -> a")));

    SortedMap<String, TypeVersions> second = publisher.view().groups();
    assertThat(catalog.watched()).containsExactlyInAnyOrder("a", "b");
    assertThat(second.get("sidecar:c").clusters()).isNotEqualTo(first.get("sidecar:c").clusters());
    assertThat(second.get("gateway:edge")).isEqualTo(first.get("gateway:edge"));

    publisher.apply(
        compile(
            text("1s", "1s")
                .replace("a -> b", "a -> c")
                .replace("c -> b", "c -> a")
                .replace("route /b/** {\n      to b", "route /b/** {\n      to c")
                .replace("edge -> b", "edge -> c")));

    assertThat(catalog.watched()).containsExactlyInAnyOrder("a", "c");
  }

  private CompiledPolicy policy(String aTimeout, String cTimeout) {
    return compile(text(aTimeout, cTimeout));
  }

  private CompiledPolicy compile(String text) {
    var compilation = compiler.compile(List.of(new Source("mesh.mesh", text)));
    assertThat(compilation.diagnostics()).filteredOn(d -> d.isError()).isEmpty();
    return compilation.policy().orElseThrow();
  }

  private static String text(String aTimeout, String cTimeout) {
    StringBuilder text =
        new StringBuilder(
            "mesh t {\n  trust-domain \"t.example\"\n  mtls strict\n  authz default deny\n}\n");
    int port = 0;
    for (String service : List.of("a", "b", "c")) {
      port++;
      text.append("service ")
          .append(service)
          .append(" {\n  source consul \"")
          .append(service)
          .append("\"\n  sidecar {\n    inbound 127.0.0.1:2000")
          .append(port)
          .append("\n    app 127.0.0.1:3000")
          .append(port)
          .append("\n  }\n}\n");
    }
    text.append(
        "gateway edge {\n  listen 127.0.0.1:10000\n  host \"api.example\" {\n"
            + "    route /b/** {\n      to b\n    }\n  }\n}\nallow edge -> b\n");
    text.append("allow a -> b\ncall a -> b {\n  timeout ").append(aTimeout).append("\n}\n");
    text.append("allow c -> b\ncall c -> b {\n  timeout ").append(cTimeout).append("\n}\n");
    return text.toString();
  }

  /** Answers every subscription at once with the service's endpoints; {@link #set} changes them. */
  private static final class Catalog implements ServiceCatalog {
    private final Map<String, List<Endpoint>> endpoints = new ConcurrentHashMap<>();
    private final Map<String, List<EndpointListener>> listeners = new ConcurrentHashMap<>();

    @Override
    public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
      String service = ((ServiceQuery.Consul) query).service();
      List<EndpointListener> mine =
          listeners.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>());
      mine.add(listener);
      listener.onEndpoints(
          endpoints.getOrDefault(service, List.of(Endpoint.of("127.0.0.1", 9000))));
      return () -> mine.remove(listener);
    }

    void set(String service, List<Endpoint> list) {
      endpoints.put(service, list);
      listeners.getOrDefault(service, List.of()).forEach(l -> l.onEndpoints(list));
    }

    List<String> watched() {
      List<String> services = new ArrayList<>();
      listeners.forEach((service, list) -> {
        if (!list.isEmpty()) {
          services.add(service);
        }
      });
      return services;
    }

    @Override
    public void close() {}
  }
}
