package dev.meshgate.discovery.kubernetes;

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
import java.util.List;

/** Kubernetes objects as the Service and EndpointSlice controllers would write them. */
final class Fixtures {
  static final String NS = "shop";

  private Fixtures() {}

  static Service service(String name, ServicePort... ports) {
    return new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withPorts(ports).addToSelector("app", name).endSpec()
        .build();
  }

  static ServicePort servicePort(String name, int port, int targetPort) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withTargetPort(new IntOrString(targetPort))
        .withProtocol("TCP")
        .build();
  }

  static Pod pod(String name, String app, String version) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels("app", app)
        .addToLabels("version", version)
        .endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example/app").endContainer().endSpec()
        .build();
  }

  static EndpointPort slicePort(String name, int port) {
    return new EndpointPortBuilder().withName(name).withPort(port).withProtocol("TCP").build();
  }

  /** Slice labels as the controller sets them, plus one of our own and a "version" the pod overrides. */
  static EndpointSlice slice(String name, String service, List<EndpointPort> ports, Endpoint... endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels(NamespaceWatch.SERVICE_NAME_LABEL, service)
        .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
        .addToLabels("tier", "backend")
        .addToLabels("version", "from-slice")
        .endMetadata()
        .withAddressType("IPv4")
        .withPorts(ports)
        .withEndpoints(endpoints)
        .build();
  }

  /** A ready endpoint backed by {@code pod}. */
  static Endpoint endpoint(String ip, String pod, String zone) {
    return new EndpointBuilder()
        .withAddresses(ip)
        .withZone(zone)
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withName(pod).withNamespace(NS).endTargetRef()
        .build();
  }

  static Endpoint notReady(Endpoint e) {
    return new EndpointBuilder(e).editConditions().withReady(false).withServing(false).endConditions().build();
  }

  static Endpoint terminating(Endpoint e) {
    return new EndpointBuilder(e)
        .editConditions().withReady(false).withServing(true).withTerminating(true).endConditions()
        .build();
  }
}
