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
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

  void gateway(GatewayDecl gateway) {
    Map<String, GatewayStmt.OidcProvider> providers = new LinkedHashMap<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.OidcProvider p) {
        provider(p);
        GatewayStmt.OidcProvider before = providers.putIfAbsent(p.name().value(), p);
        if (before != null) {
          cx.error(
              OIDC_DUPLICATE_PROVIDER,
              p.name().span(),
              "duplicate oidc-provider \""
                  + p.name().value()
                  + "\" in gateway \""
                  + gateway.name().text()
                  + "\"; it is first declared at "
                  + cx.at(before.name().span()));
        }
      }
    }
    List<StringLit> named = new ArrayList<>();
    Optional<Optional<String>> atGateway = effective(settings(gateway), Optional.empty(), named);
    Set<String> used = new TreeSet<>();
    atGateway.flatMap(p -> p).ifPresent(used::add);
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.Host host) {
        Optional<Optional<String>> atHost = effective(host.settings(), atGateway, named);
        Set<String> hostUses = new TreeSet<>();
        for (RouteDecl route : host.routes()) {
          effective(route.body(), atHost, named).flatMap(p -> p).ifPresent(hostUses::add);
        }
        used.addAll(hostUses);
        hostUses.stream()
            .map(providers::get)
            .filter(java.util.Objects::nonNull)
            .forEach(p -> collisions(p, host));
      }
    }
    boolean unknown = false;
    for (StringLit name : named) {
      if (!providers.containsKey(name.value())) {
        unknown = true;
        cx.error(
            OIDC_UNKNOWN_PROVIDER,
            name.span(),
            "gateway \""
                + gateway.name().text()
                + "\" has no oidc-provider \""
                + name.value()
                + "\"; "
                + (providers.isEmpty()
                    ? "declare one like `oidc-provider \""
                        + name.value()
                        + "\" { authorization-endpoint \"https://…\" token-endpoint \"https://…\""
                        + " client-id \"…\" client-secret file \"…\" }`"
                    : NearestNames.hint(
                        name.value(),
                        NearestNames.Kind.declared("oidc providers", providers.keySet()))));
      }
    }
    // A misspelt name would also show its intended provider as unused: say only the first.
    if (cx.current.complete() && !unknown) {
      providers.forEach((n, p) -> {
        if (!used.contains(n)) {
          cx.warning(
              OIDC_UNUSED_PROVIDER,
              p.name().span(),
              "oidc-provider \""
                  + n
                  + "\" is not required by any host or route, so nobody logs in with it; add"
                  + " `require oidc \""
                  + n
                  + "\"` where browsers must log in, or remove it");
        }
      });
    }
  }

  private static List<RouteStmt> settings(GatewayDecl gateway) {
    return gateway.body().stream()
        .flatMap(s -> s instanceof GatewayStmt.RouteSetting r ? Stream.of(r.stmt()) : Stream.of())
        .toList();
  }

  /**
   * The requirement at a place: its own {@code require oidc} or {@code require none} (empty inner
   * value), else the less specific place's, as the lowering merges them. Collects the names.
   */
  private static Optional<Optional<String>> effective(
      List<RouteStmt> own, Optional<Optional<String>> lessSpecific, List<StringLit> named) {
    Optional<Optional<String>> mine = Optional.empty();
    for (RouteStmt stmt : own) {
      switch (stmt) {
        case RouteAuth.RequireOidc r -> {
          named.add(r.provider());
          mine = mine.or(() -> Optional.of(Optional.of(r.provider().value())));
        }
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
    if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
      cx.error(
          OIDC_INVALID_VALUE,
          p.name().span(),
          "oidc-provider name \""
              + name
              + "\" may only use letters, digits and . _ - (it names Envoy resources)");
    }
    Map<String, List<OidcField>> byKeyword = new LinkedHashMap<>();
    p.fields().forEach(f -> byKeyword.computeIfAbsent(f.keyword(), k -> new ArrayList<>()).add(f));
    byKeyword.forEach((keyword, fields) -> {
      for (OidcField extra : fields.stream().skip(1).toList()) {
        cx.error(
            OIDC_REPEATED_FIELD,
            extra.span(),
            "`"
                + keyword
                + "` is already written at "
                + cx.at(fields.getFirst().span())
                + "; a provider has one");
      }
    });
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
    URI uri;
    try {
      uri = new URI(url.value());
    } catch (URISyntaxException e) {
      uri = null;
    }
    String scheme =
        uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri == null
        || !(scheme.equals("https") || scheme.equals("http"))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null) {
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
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    if (scheme.equals("http") && !loopback) {
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
