package dev.meshgate.discovery.kubernetes;

import static dev.meshgate.discovery.kubernetes.Fixtures.endpoint;
import static dev.meshgate.discovery.kubernetes.Fixtures.pod;
import static dev.meshgate.discovery.kubernetes.Fixtures.service;
import static dev.meshgate.discovery.kubernetes.Fixtures.slice;
import static dev.meshgate.discovery.testing.KubernetesObjects.notReady;
import static dev.meshgate.discovery.testing.KubernetesObjects.servicePort;
import static dev.meshgate.discovery.testing.KubernetesObjects.slicePort;

import dev.meshgate.discovery.ServiceQuery;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same catalog against a real API server (k3s in Docker). Runs only where Testcontainers finds
 * a working Docker engine; elsewhere the mock-server tests cover the adapter.
 */
@EnabledIf(
    value = "dockerWorks",
    disabledReason =
        "no working Docker engine (Testcontainers' DockerClientFactory found none): the k3s"
            + " real-cluster test needs Docker; KubernetesCatalogTest covers the adapter against"
            + " fabric8's mock API server")
class KubernetesCatalogK3sTest {
  /** Override with -Dmeshgate.k3s.image=rancher/k3s:TAG. */
  private static final String IMAGE =
      System.getProperty("meshgate.k3s.image", "rancher/k3s:v1.31.4-k3s1");

  /** Bounded: a Docker socket that accepts but never answers must not hang the build. */
  static boolean dockerWorks() {
    var check =
        CompletableFuture.supplyAsync(() -> {
          try {
            return DockerClientFactory.instance().isDockerAvailable();
          } catch (RuntimeException | LinkageError e) {
            return false;
          }
        });
    try {
      return check.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      check.cancel(true);
      return false;
    }
  }

  @Test
  void followsEndpointSlicesOfARealApiServer() {
    try (var k3s = new K3sContainer(DockerImageName.parse(IMAGE))) {
      k3s.start();
      try (KubernetesClient client =
              new KubernetesClientBuilder()
                  .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
                  .build();
          var catalog = new KubernetesCatalog(client)) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(Fixtures.NS)
                    .endMetadata()
                    .build())
            .create();
        // A Service without selector: no controller writes its slices, the test does.
        var svc = service("catalog", servicePort("http", 80, 8080));
        svc.getSpec().setSelector(null);
        client.resource(svc).create();
        client.resource(pod("catalog-1", "catalog", "v1")).create();
        EndpointSlice slice =
            new EndpointSliceBuilder(
                    slice(
                        "catalog-abc",
                        "catalog",
                        List.of(slicePort("http", 8080)),
                        endpoint("10.42.0.10", "catalog-1", "zone-a")))
                .editMetadata()
                .addToLabels("endpointslice.kubernetes.io/managed-by", "meshgate-test")
                .endMetadata()
                .build();
        client.resource(slice).create();

        var byName = new Recorder();
        var byNumber = new Recorder();
        catalog.subscribe(new ServiceQuery.Kubernetes(Fixtures.NS, "catalog", "http"), byName);
        catalog.subscribe(new ServiceQuery.Kubernetes(Fixtures.NS, "catalog", "80"), byNumber);
        byName.awaitSummary("10.42.0.10:8080 v1 zone-a");
        byNumber.awaitSummary("10.42.0.10:8080 v1 zone-a");

        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(Fixtures.NS)
            .withName("catalog-abc")
            .edit(s -> {
              s.setEndpoints(List.of(notReady(endpoint("10.42.0.10", "catalog-1", "zone-a"))));
              return s;
            });
        byName.awaitSummary("10.42.0.10:8080 v1 zone-a unhealthy");

        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(Fixtures.NS)
            .withName("catalog-abc")
            .delete();
        byName.awaitSummary();
      }
    }
  }
}
