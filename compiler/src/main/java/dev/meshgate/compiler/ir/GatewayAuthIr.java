package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * Who a gateway can authenticate and who decides for it (issue 12): its JWT, API-key, basic-auth
 * and OIDC providers and its external authorization services, each in policy order. Routes name
 * them ({@link RouteSecurityIr}); a gateway lists each once so its filters are built once.
 */
public record GatewayAuthIr(
    List<JwtIr.ProviderIr> jwtProviders,
    List<ApiKeyIr.ProviderIr> apiKeyProviders,
    List<BasicAuthIr.ProviderIr> basicAuthProviders,
    List<OidcIr> oidcProviders,
    List<ExtAuthzIr> extAuthz) {
  /** A gateway that authenticates nobody. */
  public static final GatewayAuthIr NONE =
      new GatewayAuthIr(List.of(), List.of(), List.of(), List.of(), List.of());

  public GatewayAuthIr {
    jwtProviders = List.copyOf(jwtProviders);
    apiKeyProviders = List.copyOf(apiKeyProviders);
    basicAuthProviders = List.copyOf(basicAuthProviders);
    oidcProviders = List.copyOf(oidcProviders);
    extAuthz = List.copyOf(extAuthz);
  }
}
