package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.CombinedCertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.SanType;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * mTLS towards a service in the mesh: present our identity, and accept the peer only if its
 * certificate chains to the mesh CA <em>and</em> carries exactly the callee's SPIFFE ID, so a
 * compromised or misrouted endpoint of another service cannot answer in its name.
 */
final class UpstreamTls {
  static final String TLS = "envoy.transport_sockets.tls";

  private UpstreamTls() {}

  static TransportSocket transportSocket(String peerIdentity, String sni) {
    UpstreamTlsContext context =
        UpstreamTlsContext.newBuilder()
            .setCommonTlsContext(
                CommonTlsContext.newBuilder()
                    .addTlsCertificateSdsSecretConfigs(SdsSecrets.identity())
                    .setCombinedValidationContext(
                        CombinedCertificateValidationContext.newBuilder()
                            .setDefaultValidationContext(
                                CertificateValidationContext.newBuilder()
                                    .addMatchTypedSubjectAltNames(
                                        SubjectAltNameMatcher.newBuilder()
                                            .setSanType(SanType.URI)
                                            .setMatcher(
                                                StringMatcher.newBuilder().setExact(peerIdentity))))
                            .setValidationContextSdsSecretConfig(SdsSecrets.trustBundle())))
            .setSni(sni)
            .build();
    return TransportSocket.newBuilder().setName(TLS).setTypedConfig(Any.pack(context)).build();
  }
}
