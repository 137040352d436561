package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * oidc login (issue 12): an {@code oidc-provider} of a gateway. Envoy's oauth2 filter sends a
 * browser without a session to {@code authorizationEndpoint}, takes the code back on {@code
 * redirectPath}, exchanges it at {@code tokenEndpoint} (through the cluster {@code tokenCluster}
 * the compiler makes) and keeps the tokens in cookies signed with the cookie secret. Secrets are
 * named by where the server reads them ({@link SecretIr}), never held here.
 */
public record OidcIr(
    String name,
    String authorizationEndpoint,
    String tokenEndpoint,
    TokenEndpointIr token,
    String clientId,
    SecretIr clientSecret,
    SecretIr cookieSecret,
    String redirectPath,
    String logoutPath,
    List<String> scopes) {
  public OidcIr {
    scopes = List.copyOf(scopes);
  }

  /** The SDS secret name of the client secret. */
  public String clientSecretName() {
    return "oidc:" + name + ":client-secret";
  }

  /** The SDS secret name of the key that signs the session cookies. */
  public String cookieSecretName() {
    return "oidc:" + name + ":cookie-secret";
  }

  /** Where the token endpoint is reached: the cluster's one address, and whether over TLS. */
  public record TokenEndpointIr(String cluster, String host, int port, boolean tls) {}

  /**
   * Where the server reads a secret at serve time. {@code DERIVED}: no {@code cookie-secret} was
   * given; the server derives the cookie key from the client secret ({@code value} is then the
   * derivation's label), so every replica of the gateway computes the same key.
   */
  public record SecretIr(Kind kind, String value) {
    public enum Kind {
      FILE,
      ENV,
      DERIVED
    }
  }
}
