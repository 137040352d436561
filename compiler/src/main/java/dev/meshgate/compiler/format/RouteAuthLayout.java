package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.RouteAuth;

/** The canonical text of a route's authentication and token-authorization statements (issue 12). */
final class RouteAuthLayout {
  private RouteAuthLayout() {}

  static String stmt(RouteAuth stmt) {
    return switch (stmt) {
      case RouteAuth.RequireJwt r -> JwtLayout.require(r);
      case RouteAuth.RequireApiKey r -> ApiKeyLayout.require(r);
      case RouteAuth.RequireOidc r -> "require oidc " + Layout.quote(r.provider().value());
      case RouteAuth.RequireBasicAuth r -> BasicAuthLayout.require(r);
      case RouteAuth.RequireExtAuthz r -> ExtAuthzLayout.require(r);
      case RouteAuth.JwtRule r -> JwtLayout.rule(r);
    };
  }
}
