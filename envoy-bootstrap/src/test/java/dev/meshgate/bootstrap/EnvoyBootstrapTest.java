package dev.meshgate.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvoyBootstrapTest {

  @Test
  void gatewayBootstrapIsExactlyTheGoldenText() throws IOException {
    assertThat(EnvoyBootstrap.gateway("edge", "edge-1", "127.0.0.1", 18000, 9901))
        .isEqualTo(resource("gateway-edge.yaml"));
  }

  @Test
  void deltaOverADnsNameUsesDeltaGrpcAndStrictDns() throws IOException {
    String yaml =
        EnvoyBootstrap.gateway("edge", "edge-\"x", "localhost", 18000, 9902, XdsTransport.DELTA);
    assertThat(yaml).isEqualTo(resource("gateway-edge-delta-dns.yaml"));
    assertThat(yaml)
        .contains("api_type: DELTA_GRPC")
        .contains("type: STRICT_DNS")
        .contains("id: \"edge-\\\"x\"");
  }

  @Test
  void statsListenerIsExactlyTheGoldenText() throws IOException {
    String yaml =
        EnvoyBootstrap.render(
            BootstrapOptions.gateway("edge", "edge-1", "127.0.0.1", 18000, 9901)
                .withStats(new StatsEndpoint("0.0.0.0", StatsEndpoint.DEFAULT_PORT)));
    assertThat(yaml).isEqualTo(resource("gateway-edge-stats.yaml"));
  }

  @Test
  void everyStatIsTaggedWithTheGroupEvenWithoutAStatsListener() {
    assertThat(
            EnvoyBootstrap.render(
                BootstrapOptions.sidecar("orders", "orders-1", "127.0.0.1", 18000, 9901)))
        .contains("  - tag_name: meshgate_group\n    fixed_value: \"sidecar:orders\"\n")
        .doesNotContain("meshgate_stats")
        .doesNotContain(StatsYaml.ADMIN_CLUSTER);
  }

  @Test
  void statsListenerForwardsOnlyPrometheusAndReadyToTheAdminPort() {
    String yaml =
        EnvoyBootstrap.render(
            BootstrapOptions.gateway("edge", "e", "127.0.0.1", 18000, 9901)
                .withStats(new StatsEndpoint("127.0.0.1", 15090)));
    assertThat(yaml)
        .contains("port_value: 15090")
        .contains("path: \"/stats/prometheus\"")
        .contains("path: \"/ready\"")
        .contains("status: 404");
    // The admin interface itself stays on loopback.
    assertThat(yaml)
        .contains("admin:\n  address:\n    socket_address:\n      address: \"127.0.0.1\"");
    assertThat(yaml.split("cluster: " + StatsYaml.ADMIN_CLUSTER, -1)).hasSize(3);
  }

  @Test
  void statsPortMustBeValidAndNotTheAdminPort() {
    assertThatThrownBy(() -> new StatsEndpoint("0.0.0.0", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stats port must be 1..65535, got 0");
    assertThatThrownBy(() ->
            EnvoyBootstrap.render(
                BootstrapOptions.gateway("edge", "e", "127.0.0.1", 18000, 9901)
                    .withStats(new StatsEndpoint("0.0.0.0", 9901))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the stats port must differ from the admin port 9901");
  }

  @Test
  void clusterNameTagKeepsSubsetNamesWhole() {
    java.util.regex.Pattern tag = java.util.regex.Pattern.compile(StatsYaml.CLUSTER_NAME_REGEX);
    assertThat(clusterTag(tag, "cluster.catalog.upstream_rq_total")).isEqualTo("catalog");
    assertThat(clusterTag(tag, "cluster.catalog.v2.upstream_rq_total")).isEqualTo("catalog.v2");
    assertThat(clusterTag(tag, "cluster.catalog.v2.circuit_breakers.default.cx_open"))
        .isEqualTo("catalog.v2");
    assertThat(clusterTag(tag, "cluster.catalog.circuit_breakers.default.cx_open"))
        .isEqualTo("catalog");
    assertThat(clusterTag(tag, "cluster.catalog.outlier_detection.ejections_active"))
        .isEqualTo("catalog");
    assertThat(clusterTag(tag, "cluster.tracing_collector.upstream_cx_total"))
        .isEqualTo("tracing_collector");
    assertThat(clusterTag(tag, "cluster.catalog.version")).isEqualTo("catalog");
  }

  @Test
  void rateLimitRouteTagTakesTheRouteOutOfTheName() {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(StatsYaml.RATE_LIMIT_ROUTE_REGEX)
            .matcher("local_rate_limit.api.v1.http_local_rate_limit.rate_limited");
    assertThat(m.find()).isTrue();
    assertThat(m.group(2)).isEqualTo("api.v1");
    assertThat(m.group(1)).isEqualTo("api.v1.");
  }

  private static String clusterTag(java.util.regex.Pattern tag, String stat) {
    java.util.regex.Matcher m = tag.matcher(stat);
    assertThat(m.find()).as(stat).isTrue();
    return m.group(2);
  }

  static final XdsTls FAKE_TLS =
      new XdsTls(
          "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n",
          "-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n",
          "-----BEGIN PRIVATE KEY-----\nS0VZ\n-----END PRIVATE KEY-----\n");

  @Test
  void sidecarWithMutualTlsIsExactlyTheGoldenText() throws IOException {
    String yaml =
        EnvoyBootstrap.render(
            BootstrapOptions.sidecar("orders", "orders-1", "127.0.0.1", 18000, 9902)
                .withTls(FAKE_TLS));
    assertThat(yaml).isEqualTo(resource("sidecar-orders-tls.yaml"));
  }

  @Test
  void gatewayOptionsWithoutTlsAreTheOldGatewayBootstrap() {
    assertThat(
            EnvoyBootstrap.render(
                BootstrapOptions.gateway("edge", "edge-1", "127.0.0.1", 18000, 9901)))
        .isEqualTo(EnvoyBootstrap.gateway("edge", "edge-1", "127.0.0.1", 18000, 9901));
    assertThat(
            EnvoyBootstrap.render(
                BootstrapOptions.gateway("edge", "e", "localhost", 18000, 9901)
                    .withTransport(XdsTransport.DELTA)))
        .isEqualTo(
            EnvoyBootstrap.gateway("edge", "e", "localhost", 18000, 9901, XdsTransport.DELTA));
  }

  @Test
  void pemThatIsNotPlainIsQuotedNotBlocked() {
    var odd =
        new XdsTls(
            FAKE_TLS.caPem(),
            "-----BEGIN CERTIFICATE-----\r\nQ0VSVA==\r\n-----END CERTIFICATE-----\r\n",
            FAKE_TLS.keyPem());
    String yaml =
        EnvoyBootstrap.render(
            BootstrapOptions.gateway("edge", "e", "127.0.0.1", 1, 2).withTls(odd));
    assertThat(yaml)
        .contains(
            "inline_string: \"-----BEGIN CERTIFICATE-----\\r\\nQ0VSVA==\\r\\n-----END CERTIFICATE-----\\r\\n\"\n");
  }

  @Test
  void tlsCredentialsMustBePemAndNeverPrintTheirKey() {
    assertThatThrownBy(() -> new XdsTls("x", FAKE_TLS.certPem(), FAKE_TLS.keyPem()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("caPem is not PEM (no -----BEGIN line)");
    assertThat(FAKE_TLS.toString()).doesNotContain("S0VZ").contains("(hidden)");
    assertThat(BootstrapOptions.gateway("edge", "e", "h", 1, 2).withTls(FAKE_TLS).toString())
        .doesNotContain("S0VZ");
  }

  @Test
  void sameArgumentsGiveByteIdenticalOutput() {
    assertThat(EnvoyBootstrap.gateway("a", "b", "10.0.0.1", 1, 2))
        .isEqualTo(EnvoyBootstrap.gateway("a", "b", "10.0.0.1", 1, 2));
  }

  @Test
  void ipv6LiteralIsStaticAndUnbracketed() {
    String yaml = EnvoyBootstrap.gateway("edge", "n", "[::1]", 18000, 9901);
    assertThat(yaml).contains("type: STATIC").contains("address: \"::1\"");
  }

  @Test
  void recognisesIpLiterals() {
    assertThat(EnvoyBootstrap.isIpLiteral("127.0.0.1")).isTrue();
    assertThat(EnvoyBootstrap.isIpLiteral("::1")).isTrue();
    assertThat(EnvoyBootstrap.isIpLiteral("fe80::1:2")).isTrue();
    assertThat(EnvoyBootstrap.isIpLiteral("meshgate.internal")).isFalse();
    assertThat(EnvoyBootstrap.isIpLiteral("256.0.0.1")).isFalse();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> EnvoyBootstrap.gateway("", "n", "h", 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gateway must not be empty");
    assertThatThrownBy(() -> EnvoyBootstrap.gateway("g", "n", "h", 0, 1))
        .hasMessage("xdsPort must be 1..65535, got 0");
    assertThatThrownBy(() -> EnvoyBootstrap.gateway("g", "n", "h", 1, 70000))
        .hasMessage("adminPort must be 1..65535, got 70000");
    assertThatThrownBy(() -> EnvoyBootstrap.render(BootstrapOptions.sidecar(" ", "n", "h", 1, 1)))
        .hasMessage("service must not be empty");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = EnvoyBootstrapTest.class.getResourceAsStream("/" + name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
