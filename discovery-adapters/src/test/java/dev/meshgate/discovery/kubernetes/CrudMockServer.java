package dev.meshgate.discovery.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode, exactly as {@code @EnableKubernetesMockClient(crud =
 * true, https = false)} builds it (plain HTTP on a free loopback port), with a teardown that
 * does not block the test.
 *
 * <p>Why not the annotation: in 7.8.0 the mock server's shutdown can wait 10 s for watch
 * WebSockets to finish their close handshake and then fail the test with "Unable to close
 * MockWebServer" (a 7.8.0 regression, reported by Armeria in line/armeria#6904). Watches are
 * this adapter's whole business, so we close the server in the background instead.
 */
final class CrudMockServer implements AutoCloseable {
  final KubernetesMockServer server;
  final KubernetesClient client;

  @SuppressWarnings("deprecation") // Serialization.jsonMapper(): the mapper the annotation uses too
  CrudMockServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init(); // loopback, free port
    client = server.createClient();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    client.close();
    Thread.ofPlatform()
        .daemon()
        .name("mock-api-server-shutdown")
        .start(
            () -> {
              try {
                server.destroy();
              } catch (RuntimeException e) {
                // the 7.8.0 shutdown timeout described above: the port is released with the JVM
              }
            });
  }
}
