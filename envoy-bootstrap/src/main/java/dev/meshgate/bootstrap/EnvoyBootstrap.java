package dev.meshgate.bootstrap;

import java.util.regex.Pattern;

/**
 * Envoy bootstrap files that point an Envoy at the Meshgate xDS server.
 *
 * <p>The YAML is written by hand rather than through protobuf so this module needs no dependency at
 * all, and so the output is stable text a person can read, diff and paste: the same arguments
 * always give byte-identical output. Every string that comes from outside is emitted double-quoted
 * with JSON escapes, which YAML reads verbatim; PEM is written as literal blocks so a person can
 * read the certificates.
 */
public final class EnvoyBootstrap {

  /** The static cluster Envoy reaches the xDS server through. */
  public static final String XDS_CLUSTER = "meshgate_xds";

  /** The URI SAN of the xDS server's certificate, which Envoy checks. */
  public static final String XDS_SERVER_SAN = "urn:meshgate:xds-server";

  /** PEM blocks: base64 lines and BEGIN/END lines, nothing a YAML block could misread. */
  private static final Pattern PEM_TEXT =
      Pattern.compile("(-----[A-Z0-9 ]+-----\n|[A-Za-z0-9+/=]+\n)+");

  /** Node metadata key the server reads to learn an Envoy's role (with node.cluster = name). */
  public static final String ROLE_METADATA_KEY = "meshgate.role";

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private EnvoyBootstrap() {}

  /**
   * A plaintext bootstrap for one Envoy of gateway {@code gateway}, using state-of-the-world ADS:
   * for an xDS server run with {@code --insecure-xds}. For the default, mutual TLS, use {@link
   * #render} with {@link BootstrapOptions#withTls}.
   *
   * @param gateway the gateway's name in the policy; becomes {@code node.cluster}
   * @param nodeId unique per Envoy (the server tells replicas apart by it)
   * @param xdsHost an IP address or a DNS name of the xDS server
   * @param xdsPort the xDS server's gRPC port
   * @param adminPort Envoy's admin port, bound on 127.0.0.1 only
   */
  public static String gateway(
      String gateway, String nodeId, String xdsHost, int xdsPort, int adminPort) {
    return gateway(gateway, nodeId, xdsHost, xdsPort, adminPort, XdsTransport.STATE_OF_THE_WORLD);
  }

  /** As {@link #gateway(String, String, String, int, int)}, choosing the ADS transport. */
  public static String gateway(
      String gateway,
      String nodeId,
      String xdsHost,
      int xdsPort,
      int adminPort,
      XdsTransport transport) {
    if (transport == null) {
      throw new IllegalArgumentException("transport must not be null");
    }
    return render(
        BootstrapOptions.gateway(gateway, nodeId, xdsHost, xdsPort, adminPort)
            .withTransport(transport));
  }

  /**
   * The bootstrap {@code options} describe: a gateway or a sidecar, in plaintext or with mutual TLS
   * to the xDS server. With TLS the YAML holds the proxy's private key.
   */
  public static String render(BootstrapOptions options) {
    String name = options.name();
    String nodeId = options.nodeId();
    String xdsHost = options.xdsHost();
    int xdsPort = options.xdsPort();
    int adminPort = options.adminPort();
    XdsTransport transport = options.transport();
    String role = options.role().label();
    requireText(name, options.role() == ProxyRole.GATEWAY ? "gateway" : "service");
    requireText(nodeId, "nodeId");
    requireText(xdsHost, "xdsHost");
    requirePort(xdsPort, "xdsPort");
    requirePort(adminPort, "adminPort");
    if (options.stats().map(s -> s.port() == adminPort).orElse(false)) {
      throw new IllegalArgumentException(
          "the stats port must differ from the admin port " + adminPort);
    }
    String host = unbracket(xdsHost);
    boolean literal = isIpLiteral(host);

    StringBuilder y = new StringBuilder(2048);
    y.append("# Envoy bootstrap for ")
        .append(role)
        .append(' ')
        .append(quote(name))
        .append(", written by meshgate.\n");
    y.append("# Everything but the xDS server itself arrives over ADS from ")
        .append(literal && host.contains(":") ? "[" + host + "]" : host)
        .append(':')
        .append(xdsPort)
        .append(options.tls().isPresent() ? " (mutual TLS)" : "")
        .append(".\n");
    if (options.tls().isPresent()) {
      y.append(
          "# It holds this proxy's private key for xDS: keep it private (chmod 600), like a password.\n");
    }
    y.append("node:\n");
    y.append("  id: ").append(quote(nodeId)).append('\n');
    y.append("  cluster: ").append(quote(name)).append('\n');
    y.append("  metadata:\n");
    y.append("    ").append(ROLE_METADATA_KEY).append(": \"").append(role).append("\"\n");
    y.append("dynamic_resources:\n");
    y.append("  ads_config:\n");
    y.append("    api_type: ").append(transport.apiType()).append('\n');
    y.append("    transport_api_version: V3\n");
    y.append("    grpc_services:\n");
    y.append("    - envoy_grpc:\n");
    y.append("        cluster_name: ").append(XDS_CLUSTER).append('\n');
    // Envoy only needs to send its node once per stream; the server remembers it.
    y.append("    set_node_on_first_message_only: true\n");
    y.append("  cds_config:\n");
    y.append("    ads: {}\n");
    y.append("    resource_api_version: V3\n");
    y.append("  lds_config:\n");
    y.append("    ads: {}\n");
    y.append("    resource_api_version: V3\n");
    y.append("static_resources:\n");
    y.append("  clusters:\n");
    y.append("  - name: ").append(XDS_CLUSTER).append('\n');
    // STATIC needs an IP; a name is resolved (and re-resolved) by DNS, IPv4 first because
    // "localhost" often resolves to ::1 as well and the server may bind IPv4 only.
    y.append("    type: ").append(literal ? "STATIC" : "STRICT_DNS").append('\n');
    if (!literal) {
      y.append("    dns_lookup_family: V4_PREFERRED\n");
    }
    y.append("    connect_timeout: 1s\n");
    // gRPC needs HTTP/2 to the server.
    y.append("    typed_extension_protocol_options:\n");
    y.append("      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:\n");
    y.append(
        "        \"@type\": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions\n");
    y.append("        explicit_http_config:\n");
    y.append("          http2_protocol_options: {}\n");
    // The ADS stream lives for days; keepalive notices a silently dropped connection.
    y.append("    upstream_connection_options:\n");
    y.append("      tcp_keepalive: {}\n");
    options.tls().ifPresent(tls -> appendTls(y, tls));
    y.append("    load_assignment:\n");
    y.append("      cluster_name: ").append(XDS_CLUSTER).append('\n');
    y.append("      endpoints:\n");
    y.append("      - lb_endpoints:\n");
    y.append("        - endpoint:\n");
    y.append("            address:\n");
    y.append("              socket_address:\n");
    y.append("                address: ").append(quote(host)).append('\n');
    y.append("                port_value: ").append(xdsPort).append('\n');
    options
        .stats()
        .ifPresent(stats -> {
          StatsYaml.appendAdminCluster(y, adminPort);
          StatsYaml.appendListener(y, stats);
        });
    StatsYaml.appendStatsConfig(y, role + ":" + name);
    y.append("admin:\n");
    y.append("  address:\n");
    y.append("    socket_address:\n");
    y.append("      address: \"127.0.0.1\"\n");
    y.append("      port_value: ").append(adminPort).append('\n');
    // An explicit runtime: a static layer for defaults here, and an admin layer so
    // `curl -X POST :adminPort/runtime_modify` works while debugging.
    y.append("layered_runtime:\n");
    y.append("  layers:\n");
    y.append("  - name: static\n");
    y.append("    static_layer: {}\n");
    y.append("  - name: admin\n");
    y.append("    admin_layer: {}\n");
    return y.toString();
  }

  /**
   * Mutual TLS to the xDS server: this proxy's certificate and key, the CA to verify the server
   * with, and the server's identity (its URI SAN, not its address: the server may be reached
   * through any name). ALPN h2, which gRPC servers require.
   */
  private static void appendTls(StringBuilder y, XdsTls tls) {
    y.append("    transport_socket:\n");
    y.append("      name: envoy.transport_sockets.tls\n");
    y.append("      typed_config:\n");
    y.append(
        "        \"@type\": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext\n");
    y.append("        common_tls_context:\n");
    y.append("          alpn_protocols:\n");
    y.append("          - h2\n");
    y.append("          tls_certificates:\n");
    y.append("          - certificate_chain:\n");
    inlineString(y, "              ", tls.certPem());
    y.append("            private_key:\n");
    inlineString(y, "              ", tls.keyPem());
    y.append("          validation_context:\n");
    y.append("            trusted_ca:\n");
    inlineString(y, "              ", tls.caPem());
    y.append("            match_typed_subject_alt_names:\n");
    y.append("            - san_type: URI\n");
    y.append("              matcher:\n");
    y.append("                exact: ").append(quote(XDS_SERVER_SAN)).append('\n');
  }

  /** {@code inline_string:} as a literal block when the text is plain PEM, else quoted. */
  private static void inlineString(StringBuilder y, String indent, String text) {
    y.append(indent).append("inline_string:");
    if (PEM_TEXT.matcher(text).matches()) {
      y.append(" |\n");
      for (String line : text.strip().split("\n")) {
        y.append(indent).append("  ").append(line).append('\n');
      }
    } else {
      y.append(' ').append(quote(text)).append('\n');
    }
  }

  /** True for an IPv4 or IPv6 address literal (Envoy's STATIC clusters need one). */
  static boolean isIpLiteral(String host) {
    return IPV4.matcher(host).matches() || (host.contains(":") && host.matches("[0-9A-Fa-f:.]+"));
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** A YAML double-quoted scalar; JSON escapes are valid YAML escapes. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }

  private static void requirePort(int port, String what) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " must be 1..65535, got " + port);
    }
  }
}
