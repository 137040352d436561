package dev.meshgate.compiler.ir;

import java.util.Optional;

/**
 * What a route asks of a caller (issue 12): CORS for browsers, and the authentication in effect for
 * it (its own, else its host's, else its gateway's): a JWT requirement and claim rules, an external
 * authorization service, an API key, an OIDC login, basic auth. Empty where none applies.
 */
public record RouteSecurityIr(
    Optional<CorsIr> cors,
    Optional<JwtIr> jwt,
    Optional<String> extAuthz,
    Optional<ApiKeyIr> apiKey,
    Optional<String> oidc,
    Optional<BasicAuthIr> basicAuth) {
  /** A route anyone may call, without CORS. */
  public static final RouteSecurityIr NONE =
      new RouteSecurityIr(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
}
