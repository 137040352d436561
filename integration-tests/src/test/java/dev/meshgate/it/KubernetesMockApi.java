package dev.meshgate.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.UnaryOperator;

/**
 * fabric8's mock API server in CRUD mode (real REST list and watch over WebSockets) in the test
 * JVM, plain HTTP on a free loopback port, with a client that writes Services, pods and
 * EndpointSlices to it as the Kubernetes controllers would. A {@code meshgate serve
 * --kubernetes} child process finds it through {@link #jvmOptions()}.
 *
 * <p>Built by hand rather than with {@code @EnableKubernetesMockClient(crud = true)}, like
 * discovery-adapters' {@code CrudMockServer}: in fabric8 7.8.0 the annotation's teardown can wait
 * 10 s for open watch WebSockets and then fail the test ("Unable to close MockWebServer"), and
 * a watching meshgate always has watches open. The server is closed in the background instead.
 */
final class KubernetesMockApi implements AutoCloseable {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  /**
   * The mock server logs every request at INFO through java.util.logging; that would bury the
   * test output. Held here because JUL keeps loggers only weakly.
   */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private KubernetesMockApi(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  @SuppressWarnings("deprecation") // Serialization.jsonMapper(): the mapper the annotation uses too
  static KubernetesMockApi start() {
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
    return new KubernetesMockApi(server, server.createClient());
  }

  KubernetesClient client() {
    return client;
  }

  /** The API server's URL, {@code http://127.0.0.1:PORT}. */
  String masterUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /**
   * System properties that point fabric8's auto-configuration (what {@code meshgate serve
   * --kubernetes} uses) at this server and at nothing else: no kubeconfig of the machine, no
   * service account.
   */
  List<String> jvmOptions() {
    return List.of(
        "-Dkubernetes.master=" + masterUrl(),
        "-Dkubernetes.auth.tryKubeConfig=false",
        "-Dkubernetes.auth.tryServiceAccount=false",
        "-Dkubernetes.trust.certificates=true",
        "-Dkubernetes.namespace=default");
  }

  void create(HasMetadata... objects) {
    for (HasMetadata o : objects) {
      client.resource(o).create();
    }
  }

  void editSlice(String namespace, String name, UnaryOperator<EndpointSlice> edit) {
    client.discovery().v1().endpointSlices().inNamespace(namespace).withName(name).edit(edit);
  }

  void deleteSlice(String namespace, String name) {
    client.discovery().v1().endpointSlices().inNamespace(namespace).withName(name).delete();
  }

  void editPod(String namespace, String name, UnaryOperator<Pod> edit) {
    client.pods().inNamespace(namespace).withName(name).edit(edit);
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

  // Objects as the Service and EndpointSlice controllers write them.

  static Service service(String namespace, String name, ServicePort... ports) {
    return new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withPorts(ports).addToSelector("app", name).endSpec()
        .build();
  }

  /** A TCP Service port; {@code name} may be empty (a Service's only port). */
  static ServicePort servicePort(String name, int port, int targetPort) {
    return new ServicePortBuilder()
        .withName(name.isEmpty() ? null : name)
        .withPort(port)
        .withTargetPort(new IntOrString(targetPort))
        .withProtocol("TCP")
        .build();
  }

  static Pod pod(String namespace, String name, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example/app").endContainer().endSpec()
        .build();
  }

  /**
   * A slice of Service {@code service} whose port {@code portName} (the Service port's name,
   * "" for an unnamed one) is {@code port}, the target port every endpoint of it listens on.
   */
  static EndpointSlice slice(String namespace, String name, String service, String portName, int port, Endpoint... endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels(SERVICE_NAME_LABEL, service)
        .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
        .endMetadata()
        .withAddressType("IPv4")
        .withPorts(new EndpointPortBuilder().withName(portName).withPort(port).withProtocol("TCP").build())
        .withEndpoints(endpoints)
        .build();
  }

  /** A ready endpoint at {@code ip}, backed by pod {@code pod}, in {@code zone}. */
  static Endpoint endpoint(String namespace, String ip, String pod, String zone) {
    return new EndpointBuilder()
        .withAddresses(ip)
        .withZone(zone)
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withName(pod).withNamespace(namespace).endTargetRef()
        .build();
  }

  static Endpoint notReady(Endpoint e) {
    return new EndpointBuilder(e).editConditions().withReady(false).withServing(false).endConditions().build();
  }

  /** Being shut down: not ready, still serving its in-flight requests. */
  static Endpoint terminating(Endpoint e) {
    return new EndpointBuilder(e)
        .editConditions().withReady(false).withServing(true).withTerminating(true).endConditions()
        .build();
  }

  /** {@code slice} with its endpoints replaced by {@code endpoints}. */
  static EndpointSlice withEndpoints(EndpointSlice slice, Endpoint... endpoints) {
    slice.setEndpoints(Arrays.asList(endpoints));
    return slice;
  }
}
