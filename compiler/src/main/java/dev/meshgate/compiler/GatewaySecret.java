package dev.meshgate.compiler;

import java.util.List;

/**
 * A secret a gateway's resources reference by {@link #name()} (an SDS secret, or API keys), and
 * where the server gets its content. The compiled output names files, never what is in them:
 * certificates and private keys reach only the gateway that needs them, over SDS.
 */
public sealed interface GatewaySecret {
  String name();

  /** A certificate chain and its private key, from PEM files the operator keeps and renews. */
  record CertificateFiles(String name, String chainFile, String keyFile) implements GatewaySecret {}

  /** A server certificate for {@code dnsNames}, issued by the built-in CA (development). */
  record IssuedCertificate(String name, List<String> dnsNames) implements GatewaySecret {
    public IssuedCertificate {
      dnsNames = List.copyOf(dnsNames);
    }
  }

  /** CA certificates (PEM file) that client certificates are checked against. */
  record TrustedCaFile(String name, String caFile) implements GatewaySecret {}

  /**
   * api keys (issue 12): the keys of {@code api-keys "provider"}, one {@code client key} per line
   * of a file on the server. Not an SDS secret (Envoy's api_key_auth filter takes its credentials
   * inline): the server puts them into the routes of this gateway that require the provider.
   */
  record ApiKeysFile(String provider, String keysFile) implements GatewaySecret {
    @Override
    public String name() {
      return "api-keys:" + provider;
    }
  }

  /**
   * api keys (issue 12): {@code keys kubernetes-secret "namespace/name"}: one data key per client
   * name, its value the key. Read and watched by {@code meshgate serve --kubernetes}; only the
   * reference is in the compiled output.
   */
  record ApiKeysKubernetesSecret(String provider, String namespace, String secretName)
      implements GatewaySecret {
    @Override
    public String name() {
      return "api-keys:" + provider;
    }
  }

  /**
   * oidc login (issue 12): an opaque secret (an OIDC client secret, the key that signs session
   * cookies), served as an SDS generic secret.
   */
  record OpaqueSecret(String name, Source source) implements GatewaySecret {}

  /** Where the server reads an {@link OpaqueSecret}. */
  sealed interface Source {
    /** The file's content, without a trailing line break. */
    record File(String path) implements Source {}

    /** The environment variable of the server's process. */
    record Env(String variable) implements Source {}

    /**
     * HMAC-SHA256 of {@code label} keyed with the content of {@code from}: a key every replica of
     * the server derives alike, without a secret of its own to distribute.
     */
    record Derived(Source from, String label) implements Source {}
  }

  /**
   * basic auth (issue 12): the users of {@code basic-auth "provider"}, an htpasswd file on the
   * server. Not an SDS secret (Envoy's basic_auth filter takes its users inline): the server puts
   * them into the routes of this gateway that require the provider.
   */
  record BasicAuthUsersFile(String provider, String usersFile) implements GatewaySecret {
    @Override
    public String name() {
      return "basic-auth:" + provider;
    }
  }

  /**
   * basic auth (issue 12): {@code users kubernetes-secret "namespace/name"}: the Secret's {@code
   * .htpasswd} data key holds the htpasswd lines (as Envoy Gateway's BasicAuth reads it).
   */
  record BasicAuthUsersKubernetesSecret(String provider, String namespace, String secretName)
      implements GatewaySecret {
    /** The data key that holds the users, as in Envoy Gateway. */
    public static final String DATA_KEY = ".htpasswd";

    @Override
    public String name() {
      return "basic-auth:" + provider;
    }
  }
}
