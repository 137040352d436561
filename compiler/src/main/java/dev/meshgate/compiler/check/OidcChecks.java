package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.OidcField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * oidc login (issue 12): a gateway's {@code oidc-provider}s (complete, no secret in the policy,
 * endpoints over https), the providers {@code require oidc} names, providers nothing requires, and
 * callback or logout paths that would hide a route of a host that logs in with the provider.
 */
final class OidcChecks {
  private final CheckContext cx;

  OidcChecks(CheckContext cx) {
    this.cx = cx;
  }

  private static final DeclaredProviders.Kind KIND =
      new DeclaredProviders.Kind(
          "oidc-provider",
          "oidc providers",
          OIDC_DUPLICATE_PROVIDER,
          OIDC_UNKNOWN_PROVIDER,
          OIDC_UNUSED_PROVIDER,
          name ->
              "oidc-provider \""
                  + name
                  + "\" { authorization-endpoint \"https://…\" token-endpoint \"https://…\""
                  + " client-id \"…\" client-secret file \"…\" }",
          name ->
              "oidc-provider \""
                  + name
                  + "\" is not required by any host or route, so nobody logs in with it; add"
                  + " `require oidc \""
                  + name
                  + "\"` where browsers must log in, or remove it");

  void gateway(GatewayDecl gateway) {
    Map<String, GatewayStmt.OidcProvider> providers =
        DeclaredProviders.declared(
            cx,
            gateway,
            KIND,
            GatewayStmt.OidcProvider.class,
            GatewayStmt.OidcProvider::name,
            this::provider);
    // Used are the providers some route ends up requiring, not all those named: a host's
    // `require oidc` that each of its routes overrides logs nobody in.
    Optional<Optional<String>> atGateway =
        effective(DeclaredProviders.gatewaySettings(gateway), Optional.empty());
    Set<String> used = new TreeSet<>();
    atGateway.flatMap(p -> p).ifPresent(used::add);
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.Host host) {
        Optional<Optional<String>> atHost = effective(host.settings(), atGateway);
        Set<String> hostUses = new TreeSet<>();
        for (RouteDecl route : host.routes()) {
          effective(route.body(), atHost).flatMap(p -> p).ifPresent(hostUses::add);
        }
        used.addAll(hostUses);
        hostUses.stream()
            .map(providers::get)
            .filter(java.util.Objects::nonNull)
            .forEach(p -> collisions(p, host));
      }
    }
    DeclaredProviders.resolve(
        cx,
        gateway,
        KIND,
        providers,
        GatewayStmt.OidcProvider::name,
        DeclaredProviders.named(
            gateway,
            s ->
                s instanceof RouteAuth.RequireOidc r
                    ? Optional.of(r.provider())
                    : Optional.empty()),
        used);
  }

  /**
   * The requirement at a place: its own {@code require oidc} or {@code require none} (empty inner
   * value), else the less specific place's, as the lowering merges them.
   */
  private static Optional<Optional<String>> effective(
      List<RouteStmt> own, Optional<Optional<String>> lessSpecific) {
    Optional<Optional<String>> mine = Optional.empty();
    for (RouteStmt stmt : own) {
      switch (stmt) {
        case RouteAuth.RequireOidc r ->
            mine = mine.or(() -> Optional.of(Optional.of(r.provider().value())));
        case RouteAuth.RequireJwt r when r.none() ->
            mine = mine.or(() -> Optional.of(Optional.empty()));
        default -> {}
      }
    }
    return mine.or(() -> lessSpecific);
  }

  /** A route at exactly the callback or logout path is never reached: the filter answers first. */
  private void collisions(GatewayStmt.OidcProvider p, GatewayStmt.Host host) {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put(redirectPath(p), "redirect-path");
    paths.putIfAbsent(logoutPath(p), "logout-path");
    for (RouteDecl route : host.routes()) {
      for (RouteDecl.Alternative alternative : route.alternatives()) {
        if (alternative.path() instanceof RouteDecl.PathPattern.Literal l
            && paths.containsKey(l.text())) {
          cx.error(
              OIDC_PATH_COLLISION,
              l.span(),
              "path "
                  + l.text()
                  + " is the "
                  + paths.get(l.text())
                  + " of oidc-provider \""
                  + p.name().value()
                  + "\", which Envoy answers itself on host \""
                  + host.host().value()
                  + "\", so this route is never reached; move the route or set another `"
                  + paths.get(l.text())
                  + "` in the provider");
        }
      }
    }
  }

  private static String redirectPath(GatewayStmt.OidcProvider p) {
    return p.all(OidcField.RedirectPath.class).stream()
        .findFirst()
        .map(r -> r.path().value())
        .orElse("/oauth2/callback");
  }

  private static String logoutPath(GatewayStmt.OidcProvider p) {
    return p.all(OidcField.LogoutPath.class).stream()
        .findFirst()
        .map(r -> r.path().value())
        .orElse("/logout");
  }

  private void provider(GatewayStmt.OidcProvider p) {
    String name = p.name().value();
    DeclaredProviders.resourceName(cx, OIDC_INVALID_VALUE, "oidc-provider", p.name());
    Map<String, List<OidcField>> byKeyword = new LinkedHashMap<>();
    p.fields().forEach(f -> byKeyword.computeIfAbsent(f.keyword(), k -> new ArrayList<>()).add(f));
    byKeyword.forEach(
        (keyword, fields) -> DeclaredProviders.once(cx, OIDC_REPEATED_FIELD, keyword, fields));
    List<String> missing = new ArrayList<>();
    Stream.of("authorization-endpoint", "token-endpoint", "client-id", "client-secret")
        .filter(k -> !byKeyword.containsKey(k))
        .forEach(missing::add);
    if (!missing.isEmpty()) {
      cx.error(
          OIDC_PROVIDER_INCOMPLETE,
          p.name().span(),
          "oidc-provider \""
              + name
              + "\" has no "
              + String.join(", ", missing.stream().map(k -> "`" + k + "`").toList())
              + "; a provider needs `authorization-endpoint \"https://…\"`, `token-endpoint"
              + " \"https://…\"` (from the provider's /.well-known/openid-configuration),"
              + " `client-id \"…\"` and `client-secret file \"…\"` or `client-secret env \"…\"`");
    }
    for (OidcField field : p.fields()) {
      switch (field) {
        case OidcField.AuthorizationEndpoint a -> url(a.url(), a.keyword());
        case OidcField.TokenEndpoint t -> url(t.url(), t.keyword());
        case OidcField.ClientId c -> {
          if (c.id().value().isBlank()) {
            cx.error(OIDC_INVALID_VALUE, c.id().span(), "the client-id cannot be empty");
          }
        }
        case OidcField.ClientSecret c -> secret(c.secret(), c.keyword(), name);
        case OidcField.CookieSecret c -> secret(c.secret(), c.keyword(), name);
        case OidcField.RedirectPath r -> path(r.path(), r.keyword());
        case OidcField.LogoutPath l -> path(l.path(), l.keyword());
        case OidcField.Scopes s ->
            s.scopes().stream()
                .filter(v -> !v.value().matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"))
                .forEach(v ->
                    cx.error(
                        OIDC_INVALID_VALUE,
                        v.span(),
                        "\"" + v.value() + "\" is not a scope (printable characters, no spaces)"));
      }
    }
    if (redirectPath(p).equals(logoutPath(p))) {
      cx.error(
          OIDC_PATH_COLLISION,
          p.name().span(),
          "oidc-provider \""
              + name
              + "\" uses "
              + redirectPath(p)
              + " both to take logins back and to log out; give `redirect-path` and"
              + " `logout-path` different paths");
    }
  }

  private void secret(OidcField.SecretRef secret, String keyword, String provider) {
    switch (secret.kind()) {
      case LITERAL ->
          cx.error(
              OIDC_SECRET_IN_POLICY,
              secret.span(),
              "a secret is written into the policy; secrets never go in a policy: put it in a"
                  + " file only the server can read and write `"
                  + keyword
                  + " file \"/etc/meshgate/"
                  + provider
                  + "-"
                  + keyword
                  + "\"`, or in the server's environment and write `"
                  + keyword
                  + " env \"VARIABLE\"`");
      case FILE -> {
        if (secret.value().value().isBlank()) {
          cx.error(OIDC_INVALID_VALUE, secret.value().span(), "the file name cannot be empty");
        }
      }
      case ENV -> {
        if (!secret.value().value().matches("[A-Za-z_][A-Za-z0-9_]*")) {
          cx.error(
              OIDC_INVALID_VALUE,
              secret.value().span(),
              "\""
                  + secret.value().value()
                  + "\" is not an environment variable name (letters, digits and _)");
        }
      }
    }
  }

  private void path(StringLit path, String keyword) {
    if (!path.value().matches("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*")) {
      cx.error(
          OIDC_INVALID_VALUE,
          path.span(),
          "the " + keyword + " \"" + path.value() + "\" is not a path like \"/oauth2/callback\"");
    }
  }

  private void url(StringLit url, String keyword) {
    Optional<URI> uri =
        DeclaredProviders.httpUrl(url.value()).filter(u -> u.getRawUserInfo() == null);
    if (uri.isEmpty()) {
      cx.error(
          OIDC_INVALID_VALUE,
          url.span(),
          keyword
              + " \""
              + url.value()
              + "\" is not an http(s) URL with a host (and no credentials), like"
              + " \"https://idp.example/oauth2/"
              + (keyword.startsWith("token") ? "token" : "authorize")
              + "\"");
      return;
    }
    if (DeclaredProviders.plainHttpOffLoopback(uri.get())) {
      cx.warning(
          OIDC_PLAIN_HTTP_ENDPOINT,
          url.span(),
          "the "
              + keyword
              + " is plain http, so "
              + (keyword.startsWith("token")
                  ? "the client secret and the users' tokens cross the network readable"
                  : "the login is exposed to anyone on the path")
              + "; use https");
    }
  }
}
