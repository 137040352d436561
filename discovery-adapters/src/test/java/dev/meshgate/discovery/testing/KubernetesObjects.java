package dev.meshgate.discovery.testing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes objects as the Service and EndpointSlice controllers write them, for tests (shared
 * with integration-tests through this module's test-jar; see {@link KubernetesMockApi}).
 */
public final class KubernetesObjects {
  /** The label by which a slice names its Service (set by the EndpointSlice controller). */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private KubernetesObjects() {}

  /** A Service that selects pods labelled {@code app=<name>}. */
  public static Service service(String namespace, String name, ServicePort... ports) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withPorts(ports)
        .addToSelector("app", name)
        .endSpec()
        .build();
  }

  /** A TCP Service port; {@code name} may be null or empty (a Service's only port). */
  public static ServicePort servicePort(String name, int port, int targetPort) {
    return new ServicePortBuilder()
        .withName(name == null || name.isEmpty() ? null : name)
        .withPort(port)
        .withTargetPort(new IntOrString(targetPort))
        .withProtocol("TCP")
        .build();
  }

  public static Pod pod(String namespace, String name, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("example/app")
        .endContainer()
        .endSpec()
        .build();
  }

  /** A TCP slice port: {@code name} is the Service port's name ("" for an unnamed one). */
  public static EndpointPort slicePort(String name, int port) {
    return new EndpointPortBuilder().withName(name).withPort(port).withProtocol("TCP").build();
  }

  /** A slice of Service {@code service}, labelled as the EndpointSlice controller labels it. */
  public static EndpointSlice slice(
      String namespace,
      String name,
      String service,
      List<EndpointPort> ports,
      Endpoint... endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels(SERVICE_NAME_LABEL, service)
        .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
        .endMetadata()
        .withAddressType("IPv4")
        .withPorts(ports)
        .withEndpoints(endpoints)
        .build();
  }

  /**
   * A slice of Service {@code service} whose port {@code portName} (the Service port's name, "" for
   * an unnamed one) is {@code port}, the target port every endpoint of it listens on.
   */
  public static EndpointSlice slice(
      String namespace,
      String name,
      String service,
      String portName,
      int port,
      Endpoint... endpoints) {
    return slice(namespace, name, service, List.of(slicePort(portName, port)), endpoints);
  }

  /** A ready endpoint at {@code ip}, backed by pod {@code pod}, in {@code zone}. */
  public static Endpoint endpoint(String namespace, String ip, String pod, String zone) {
    return new EndpointBuilder()
        .withAddresses(ip)
        .withZone(zone)
        .withNewConditions()
        .withReady(true)
        .withServing(true)
        .withTerminating(false)
        .endConditions()
        .withNewTargetRef()
        .withKind("Pod")
        .withName(pod)
        .withNamespace(namespace)
        .endTargetRef()
        .build();
  }

  public static Endpoint notReady(Endpoint e) {
    return new EndpointBuilder(e)
        .editConditions()
        .withReady(false)
        .withServing(false)
        .endConditions()
        .build();
  }

  /** Being shut down: not ready, still serving its in-flight requests. */
  public static Endpoint terminating(Endpoint e) {
    return new EndpointBuilder(e)
        .editConditions()
        .withReady(false)
        .withServing(true)
        .withTerminating(true)
        .endConditions()
        .build();
  }

  /** {@code slice} with its endpoints replaced by {@code endpoints}. */
  public static EndpointSlice withEndpoints(EndpointSlice slice, Endpoint... endpoints) {
    slice.setEndpoints(Arrays.asList(endpoints));
    return slice;
  }
}
