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

  // Every mesh listener and cluster references both: built once and shared (messages are
  // immutable), not once per reference.
  private static final SdsSecretConfig IDENTITY_CONFIG = secret(IDENTITY);

  private static final SdsSecretConfig TRUST_BUNDLE_CONFIG = secret(TRUST_BUNDLE);

  private SdsSecrets() {}

  static SdsSecretConfig identity() {
    return IDENTITY_CONFIG;
  }

  static SdsSecretConfig trustBundle() {
    return TRUST_BUNDLE_CONFIG;
  }

  private static SdsSecretConfig secret(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSources.ads()).build();
  }
}
