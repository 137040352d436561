package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.GenericSecret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /config never shows key material: the key's own bytes, in any encoding, are absent. */
class RedactionTest {
  static final String CHAIN = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
  static final String CA =
      "-----BEGIN CERTIFICATE-----\nMIIBtrustedca\n-----END CERTIFICATE-----\n";

  /** A real PKCS#8 EC key, as the CA issues them. */
  static String privateKeyPem() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  @Test
  void privateKeysAndGenericSecretsNeverLeaveTheServer() throws Exception {
    String key = privateKeyPem();
    String keyBody = key.lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
    Secret identity =
        Secret.newBuilder()
            .setName("identity")
            .setTlsCertificate(
                TlsCertificate.newBuilder()
                    .setCertificateChain(DataSource.newBuilder().setInlineString(CHAIN))
                    .setPrivateKey(DataSource.newBuilder().setInlineString(key)))
            .build();
    Secret bytes =
        Secret.newBuilder()
            .setName("as-bytes")
            .setTlsCertificate(
                TlsCertificate.newBuilder()
                    .setPrivateKey(
                        DataSource.newBuilder()
                            .setInlineBytes(com.google.protobuf.ByteString.copyFromUtf8(key))))
            .build();
    Secret generic =
        Secret.newBuilder()
            .setName("hmac")
            .setGenericSecret(
                GenericSecret.newBuilder()
                    .setSecret(DataSource.newBuilder().setInlineString("s3cr3t-hmac-value")))
            .build();
    Secret bundle =
        Secret.newBuilder()
            .setName("trust")
            .setValidationContext(
                CertificateValidationContext.newBuilder()
                    .setTrustedCa(DataSource.newBuilder().setInlineString(CA)))
            .build();
    // A key written inline into a cluster's TLS context, inside a typed_config Any.
    Cluster cluster =
        Cluster.newBuilder()
            .setName("upstream")
            .setTransportSocket(
                TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.tls")
                    .setTypedConfig(
                        Any.pack(
                            UpstreamTlsContext.newBuilder()
                                .setCommonTlsContext(
                                    CommonTlsContext.newBuilder()
                                        .addTlsCertificates(
                                            TlsCertificate.newBuilder()
                                                .setPrivateKey(
                                                    DataSource.newBuilder().setInlineString(key))))
                                .build())))
            .build();
    MeshSnapshot snapshot =
        new MeshSnapshot(
            TypedResources.of(List.of(cluster)),
            TypedResources.of(List.of()),
            TypedResources.of(List.of()),
            TypedResources.of(List.of()),
            TypedResources.of(List.of(identity, bytes, generic, bundle)));

    String json = ConfigJson.render("sidecar:orders", snapshot, List.of(XdsType.values()));

    String base64 = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    assertThat(json)
        .doesNotContain(keyBody.substring(0, 40))
        .doesNotContain(keyBody.substring(keyBody.length() - 40))
        .doesNotContain(base64.substring(0, 40))
        .doesNotContain(base64.substring(40, 80))
        .doesNotContain("PRIVATE KEY")
        .doesNotContain("s3cr3t-hmac-value");
    // What is public stays readable: certificates, the trust bundle, the cluster's shape.
    assertThat(json)
        .contains("MIIBcert")
        .contains("MIIBtrustedca")
        .contains("\"name\" : \"upstream\"")
        .contains(
            "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext");
    assertThat(json.split("\\[redacted]", -1)).hasSize(5); // 2 SDS keys, 1 generic, 1 inline: 4
  }

  @Test
  void inSecretsEveryInlineValueButCertificatesIsRedacted() throws Exception {
    var node =
        StatusJson.MAPPER.readTree(
            "{\"name\":\"x\",\"sessionTicketKeys\":{\"keys\":[{\"inlineBytes\":\"AAAA\"}]},"
                + "\"other\":{\"inlineString\":\"hidden\"},"
                + "\"certificateChain\":{\"inlineString\":\"shown\"}}");
    String redacted = Redaction.redact(XdsType.SECRETS, node).toString();
    assertThat(redacted)
        .isEqualTo(
            "{\"name\":\"x\",\"sessionTicketKeys\":\"[redacted]\","
                + "\"other\":{\"inlineString\":\"[redacted]\"},"
                + "\"certificateChain\":{\"inlineString\":\"shown\"}}");
  }
}
