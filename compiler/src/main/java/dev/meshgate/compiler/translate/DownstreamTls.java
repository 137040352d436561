package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;

/**
 * mTLS termination on a sidecar's inbound side: our identity, and a client certificate from the
 * mesh CA is required. Which peer may do what is decided afterwards by RBAC on the peer's SPIFFE
 * ID, so no SAN is pinned here.
 */
final class DownstreamTls {
  private DownstreamTls() {}

  static TransportSocket transportSocket() {
    DownstreamTlsContext context =
        DownstreamTlsContext.newBuilder()
            .setCommonTlsContext(
                CommonTlsContext.newBuilder()
                    .addTlsCertificateSdsSecretConfigs(SdsSecrets.identity())
                    .setValidationContextSdsSecretConfig(SdsSecrets.trustBundle()))
            .setRequireClientCertificate(BoolValue.of(true))
            .build();
    return TransportSocket.newBuilder()
        .setName(UpstreamTls.TLS)
        .setTypedConfig(Any.pack(context))
        .build();
  }
}
