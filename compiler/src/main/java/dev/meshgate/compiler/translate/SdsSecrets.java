package dev.meshgate.compiler.translate;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;

/**
 * The two secrets every mesh proxy gets over SDS (on the ADS stream), issued by the server for the
 * proxy's own group: its certificate and key, and the CA bundle peers are checked with.
 */
final class SdsSecrets {
  /** TLS certificate chain and private key for the group's SPIFFE ID. */
  static final String IDENTITY = "meshgate.identity";

  /** Validation context with the mesh CA root(s). */
  static final String TRUST_BUNDLE = "meshgate.trust-bundle";

  private SdsSecrets() {}

  static SdsSecretConfig identity() {
    return secret(IDENTITY);
  }

  static SdsSecretConfig trustBundle() {
    return secret(TRUST_BUNDLE);
  }

  private static SdsSecretConfig secret(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSources.ads()).build();
  }
}
