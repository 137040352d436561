package dev.meshgate.discovery.kubernetes;

import static dev.meshgate.discovery.kubernetes.Fixtures.endpoint;
import static dev.meshgate.discovery.kubernetes.Fixtures.service;
import static dev.meshgate.discovery.kubernetes.Fixtures.slice;
import static dev.meshgate.discovery.kubernetes.Recorder.summary;
import static dev.meshgate.discovery.testing.KubernetesObjects.notReady;
import static dev.meshgate.discovery.testing.KubernetesObjects.servicePort;
import static dev.meshgate.discovery.testing.KubernetesObjects.slicePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The slice-to-endpoint mapping on its own, without an API server. */
class SliceEndpointsTest {
  private static final Optional<Service> SERVICE =
      Optional.of(
          service("catalog", servicePort("http", 80, 8080), servicePort("grpc", 9090, 9090)));

  private static SliceEndpoints.Result compute(
      String port, Optional<Service> service, EndpointSlice... slices) {
    return SliceEndpoints.compute(
        Fixtures.NS,
        "catalog",
        PortSelector.parse(port),
        service,
        List.of(slices),
        pod -> pod.equals("p1") ? Map.of("version", "v1", "app", "catalog") : Map.of());
  }

  @Test
  void unsetConditionsMeanReadyAndNotTerminating() {
    var bare = new EndpointBuilder().withAddresses("10.0.0.9").build();
    var result =
        compute("http", SERVICE, slice("s", "catalog", List.of(slicePort("http", 8080)), bare));
    assertThat(summary(result.endpoints())).containsExactly("10.0.0.9:8080 from-slice -");
    assertThat(result.problem()).isEmpty();
  }

  @Test
  void theEndpointsHostnameIsKeptWhenKubernetesSetsOne() {
    var named = new EndpointBuilder().withAddresses("10.0.0.8").withHostname("db-0").build();
    var bare = new EndpointBuilder().withAddresses("10.0.0.9").build();
    var result =
        compute(
            "http", SERVICE, slice("s", "catalog", List.of(slicePort("http", 8080)), named, bare));
    assertThat(result.endpoints())
        .extracting(e -> e.host() + " " + e.hostname().orElse("-"))
        .containsExactly("10.0.0.8 db-0", "10.0.0.9 -");
  }

  @Test
  void anAddressInTwoSlicesIsListedOnceReadyWins() {
    var ready = endpoint("10.0.0.1", "p1", "a");
    var result =
        compute(
            "http",
            SERVICE,
            slice("s1", "catalog", List.of(slicePort("http", 8080)), notReady(ready)),
            slice("s2", "catalog", List.of(slicePort("http", 8080)), ready));
    assertThat(summary(result.endpoints())).containsExactly("10.0.0.1:8080 v1 a");
  }

  @Test
  void podLabelsWinOverSliceLabels() {
    var result =
        compute(
            "http",
            SERVICE,
            slice(
                "s", "catalog", List.of(slicePort("http", 8080)), endpoint("10.0.0.1", "p1", "a")));
    assertThat(result.endpoints().getFirst().labels())
        .containsEntry("version", "v1")
        .containsEntry("app", "catalog")
        .containsEntry("tier", "backend");
  }

  @Test
  void fqdnSlicesAndNonTcpPortsAreIgnored() {
    var fqdn =
        slice("f", "catalog", List.of(slicePort("http", 8080)), endpoint("10.0.0.1", "p1", "a"));
    fqdn.setAddressType("FQDN");
    var udp =
        slice(
            "u",
            "catalog",
            List.of(
                new EndpointPortBuilder()
                    .withName("http")
                    .withPort(8080)
                    .withProtocol("UDP")
                    .build()),
            endpoint("10.0.0.2", "p1", "a"));
    assertThat(compute("http", SERVICE, fqdn, udp).endpoints()).isEmpty();
  }

  @Test
  void emptyAnswersSayWhy() {
    var s =
        slice("s", "catalog", List.of(slicePort("http", 8080)), endpoint("10.0.0.1", "p1", "a"));
    assertThat(compute("81", SERVICE, s).problem())
        .contains(
            "Service shop/catalog has no TCP port 81; it has ports \"http\" 80/TCP, \"grpc\" 9090/TCP");
    assertThat(compute("80", Optional.empty(), s).problem())
        .contains("Service shop/catalog not found");
    // A named port needs no Service: slices carry the name. The missing Service is still noted.
    var named = compute("http", Optional.empty(), s);
    assertThat(summary(named.endpoints())).containsExactly("10.0.0.1:8080 v1 a");
    assertThat(named.problem()).contains("Service shop/catalog not found");
    assertThat(compute("metrics", SERVICE, s).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("no port named \"metrics\""));
  }

  @Test
  void portSelectorParsesNamesAndNumbers() {
    assertThat(PortSelector.parse("http")).isEqualTo(new PortSelector.Named("http"));
    assertThat(PortSelector.parse("8080")).isEqualTo(new PortSelector.Numbered(8080));
    assertThat(PortSelector.parse("h2c-8080")).isEqualTo(new PortSelector.Named("h2c-8080"));
    assertThatThrownBy(() -> PortSelector.parse("0")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> PortSelector.parse("99999999999")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> PortSelector.parse("")).hasMessageContaining("blank");
  }
}
