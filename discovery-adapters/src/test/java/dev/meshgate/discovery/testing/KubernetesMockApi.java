package dev.meshgate.discovery.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.UnaryOperator;

/**
 * fabric8's mock API server in CRUD mode (real REST list and watch over WebSockets) in the test
 * JVM, exactly as {@code @EnableKubernetesMockClient(crud = true, https = false)} builds it (plain
 * HTTP on a free loopback port), with a client that writes to it and a teardown that does not block
 * the test. {@link KubernetesObjects} builds what to write. A {@code meshgate serve --kubernetes}
 * child process finds it through {@link #jvmOptions()}.
 *
 * <p>Why not the annotation: in 7.8.0 the mock server's shutdown can wait 10 s for watch WebSockets
 * to finish their close handshake and then fail the test with "Unable to close MockWebServer" (a
 * 7.8.0 regression, reported by Armeria in line/armeria#6904). Watches are the Kubernetes adapter's
 * whole business, so the server is closed in the background instead.
 *
 * <p>Shared test support: discovery-adapters' Kubernetes tests and integration-tests' {@code
 * KubernetesIT} and {@code ExamplesServeIT} use it, the latter through this module's test-jar.
 */
public final class KubernetesMockApi implements AutoCloseable {
  /**
   * The mock server logs every request at INFO through java.util.logging; that would bury the test
   * output. Held here because JUL keeps loggers only weakly.
   */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private KubernetesMockApi(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  /** Starts a server on a free loopback port, and a client of it. */
  @SuppressWarnings("deprecation") // Serialization.jsonMapper(): the mapper the annotation uses too
  public static KubernetesMockApi start() {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init(); // loopback, free port
    // fabric8 7.8.0's watch-failure handling can hold the mock's event loop for over 10 s (the
    // default request timeout) after a test drops watch connections; the tests' own requests
    // must outlast that rather than fail the test.
    KubernetesClient defaults = server.createClient();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(defaults.getConfiguration()).withRequestTimeout(60_000).build())
            .build();
    defaults.close();
    return new KubernetesMockApi(server, client);
  }

  public KubernetesClient client() {
    return client;
  }

  public int port() {
    return server.getPort();
  }

  /** The API server's URL, {@code http://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * System properties that point fabric8's auto-configuration (what {@code meshgate serve
   * --kubernetes} uses) at this server and at nothing else: no kubeconfig of the machine, no
   * service account.
   */
  public List<String> jvmOptions() {
    return List.of(
        "-Dkubernetes.master=" + masterUrl(),
        "-Dkubernetes.auth.tryKubeConfig=false",
        "-Dkubernetes.auth.tryServiceAccount=false",
        "-Dkubernetes.trust.certificates=true",
        "-Dkubernetes.namespace=default");
  }

  /** Creates each object in its own namespace (the one its metadata names). */
  public void create(HasMetadata... objects) {
    for (HasMetadata o : objects) {
      client.resource(o).create();
    }
  }

  public void editSlice(String namespace, String name, UnaryOperator<EndpointSlice> edit) {
    client.discovery().v1().endpointSlices().inNamespace(namespace).withName(name).edit(edit);
  }

  public void deleteSlice(String namespace, String name) {
    client.discovery().v1().endpointSlices().inNamespace(namespace).withName(name).delete();
  }

  public void editPod(String namespace, String name, UnaryOperator<Pod> edit) {
    client.pods().inNamespace(namespace).withName(name).edit(edit);
  }

  @Override
  public void close() {
    client.close();
    Thread.ofPlatform()
        .daemon()
        .name("mock-api-server-shutdown")
        .start(() -> {
          try {
            server.destroy();
          } catch (RuntimeException e) {
            // the 7.8.0 shutdown timeout described above: the port is released with the JVM
          }
        });
  }
}
