package dev.meshgate.discovery.kubernetes;

import dev.meshgate.discovery.testing.KubernetesObjects;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/**
 * {@link KubernetesObjects} in namespace {@value #NS}, as these tests use them: pods labelled with
 * an app and a version, slices with labels of their own.
 */
final class Fixtures {
  static final String NS = "shop";

  private Fixtures() {}

  static Service service(String name, ServicePort... ports) {
    return KubernetesObjects.service(NS, name, ports);
  }

  static Pod pod(String name, String app, String version) {
    return KubernetesObjects.pod(NS, name, Map.of("app", app, "version", version));
  }

  /**
   * Slice labels as the controller sets them, plus one of our own and a "version" the pod
   * overrides.
   */
  static EndpointSlice slice(
      String name, String service, List<EndpointPort> ports, Endpoint... endpoints) {
    return new EndpointSliceBuilder(KubernetesObjects.slice(NS, name, service, ports, endpoints))
        .editMetadata()
        .addToLabels("tier", "backend")
        .addToLabels("version", "from-slice")
        .endMetadata()
        .build();
  }

  /** A ready endpoint backed by {@code pod}. */
  static Endpoint endpoint(String ip, String pod, String zone) {
    return KubernetesObjects.endpoint(NS, ip, pod, zone);
  }
}
