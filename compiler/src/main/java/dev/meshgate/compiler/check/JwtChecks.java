package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.JwtField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * jwt (issue 12): a gateway's providers (an issuer, one key source, no secret in the policy), the
 * providers its requirements name, claim rules that need a token, and the routes a host leaves open
 * while protecting all the others.
 */
final class JwtChecks {
  private final CheckContext cx;
  private final Values values;

  JwtChecks(CheckContext cx, Values values) {
    this.cx = cx;
    this.values = values;
  }

  /** The requirement and claim rules in effect at one place. */
  private record Effective(Optional<RouteAuth.RequireJwt> require, boolean rules, Span rulesAt) {
    boolean required() {
      return require.map(r -> !r.none() && !r.optional()).orElse(false);
    }

    boolean token() {
      return require.map(r -> !r.none()).orElse(false);
    }

    /** This place's own statements over the less specific place's (as the lowering merges). */
    Effective over(List<RouteStmt> own, Span place) {
      Optional<RouteAuth.RequireJwt> mine = first(own, RouteAuth.RequireJwt.class);
      Optional<RouteAuth.JwtRule> myRule = first(own, RouteAuth.JwtRule.class);
      boolean none = mine.map(RouteAuth.RequireJwt::none).orElse(false);
      return new Effective(
          mine.or(() -> require),
          myRule.isPresent() || (!none && rules),
          myRule.map(RouteAuth.JwtRule::span).orElse(none || !rules ? place : rulesAt));
    }
  }

  private static final DeclaredProviders.Kind KIND =
      new DeclaredProviders.Kind(
          "jwt-provider",
          "jwt providers",
          JWT_DUPLICATE_PROVIDER,
          JWT_UNKNOWN_PROVIDER,
          JWT_UNUSED_PROVIDER,
          name -> "jwt-provider \"" + name + "\" { issuer \"…\" jwks \"https://…\" }",
          name ->
              "jwt-provider \""
                  + name
                  + "\" is not required by any host or route, so its tokens are never checked;"
                  + " add `require jwt \""
                  + name
                  + "\"` where it applies, or remove it");

  void gateway(GatewayDecl gateway) {
    DeclaredProviders.check(
        cx,
        gateway,
        KIND,
        GatewayStmt.JwtProvider.class,
        GatewayStmt.JwtProvider::name,
        this::provider,
        s -> s instanceof RouteAuth.RequireJwt r ? r.provider() : Optional.empty());
    Effective atGateway =
        new Effective(Optional.empty(), false, gateway.name().span())
            .over(DeclaredProviders.gatewaySettings(gateway), gateway.name().span());
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.Host host) {
        Effective atHost = atGateway.over(host.settings(), host.host().span());
        for (RouteDecl route : host.routes()) {
          Effective e = atHost.over(route.body(), route.span());
          if (e.rules() && !e.token()) {
            cx.error(
                JWT_RULES_WITHOUT_TOKEN,
                e.rulesAt(),
                "claim rules apply to this route, but it requires no JWT, so no request can match"
                    + " an `allow` and every request is refused with 403; add `require jwt \"…\"`");
          }
        }
      }
    }
  }

  private static <T extends RouteStmt> Optional<T> first(List<RouteStmt> stmts, Class<T> kind) {
    return stmts.stream().filter(kind::isInstance).map(kind::cast).findFirst();
  }

  private void provider(GatewayStmt.JwtProvider p) {
    String name = p.name().value();
    DeclaredProviders.resourceName(cx, JWT_INVALID_PROVIDER_NAME, "jwt-provider", p.name());
    DeclaredProviders.once(cx, JWT_REPEATED_FIELD, "issuer", p.all(JwtField.Issuer.class));
    DeclaredProviders.once(cx, JWT_REPEATED_FIELD, "audiences", p.all(JwtField.Audiences.class));
    List<JwtField> jwks =
        p.fields().stream()
            .filter(f -> f instanceof JwtField.RemoteJwks || f instanceof JwtField.LocalJwks)
            .toList();
    DeclaredProviders.once(cx, JWT_REPEATED_FIELD, "jwks", jwks);
    if (p.all(JwtField.Issuer.class).isEmpty()) {
      cx.error(
          JWT_PROVIDER_INCOMPLETE,
          p.name().span(),
          "jwt-provider \""
              + name
              + "\" has no `issuer`; write the `iss` its tokens carry, like"
              + " `issuer \"https://auth.example/\"`");
    }
    if (jwks.isEmpty()) {
      cx.error(
          JWT_PROVIDER_INCOMPLETE,
          p.name().span(),
          "jwt-provider \""
              + name
              + "\" has no `jwks`, so no signature can be verified; write"
              + " `jwks \"https://…/jwks.json\"` or `jwks file \"jwks.json\"`");
    }
    p.all(JwtField.Audiences.class).stream()
        .flatMap(a -> a.audiences().stream())
        .filter(a -> a.value().isBlank())
        .forEach(a -> cx.error(JWT_EMPTY_VALUE, a.span(), "an audience cannot be empty"));
    p.all(JwtField.RemoteJwks.class).forEach(this::remote);
    p.all(JwtField.LocalJwks.class).stream()
        .filter(l -> !inlineKey(l.file()))
        .forEach(l -> new JwksFiles(cx).check(l.file()));
    for (JwtField.FromHeader h : p.all(JwtField.FromHeader.class)) {
      values.headerName(h.header());
    }
    for (JwtField.FromQuery q : p.all(JwtField.FromQuery.class)) {
      if (q.parameter().value().isBlank()) {
        cx.error(JWT_EMPTY_VALUE, q.parameter().span(), "a query parameter name cannot be empty");
      }
    }
    for (JwtField.FromCookie c : p.all(JwtField.FromCookie.class)) {
      if (!c.cookie().value().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        cx.error(
            JWT_EMPTY_VALUE,
            c.cookie().span(),
            "\"" + c.cookie().value() + "\" is not a cookie name (letters, digits, no spaces)");
      }
    }
    for (JwtField.ClaimToHeader c : p.all(JwtField.ClaimToHeader.class)) {
      if (c.claim().value().isBlank()) {
        cx.error(JWT_EMPTY_VALUE, c.claim().span(), "a claim name cannot be empty");
      }
      values.headerName(c.header());
    }
  }

  private void remote(JwtField.RemoteJwks jwks) {
    StringLit url = jwks.url();
    jwks.cache().ifPresent(values::duration);
    if (inlineKey(url)) {
      return;
    }
    Optional<URI> parsed =
        DeclaredProviders.httpUrl(url.value())
            .filter(u -> u.getRawPath() != null && !u.getRawPath().isEmpty());
    if (parsed.isEmpty()) {
      cx.error(
          JWT_INVALID_JWKS_URL,
          url.span(),
          "jwks \""
              + url.value()
              + "\" is not an http(s) URL with a host and a path, like"
              + " \"https://auth.example/.well-known/jwks.json\"");
      return;
    }
    URI uri = parsed.get();
    if (uri.getRawUserInfo() != null || secretQuery(uri.getRawQuery())) {
      cx.error(
          JWT_SECRET_IN_POLICY,
          url.span(),
          "the jwks URL carries credentials; secrets never go in a policy: serve the JWKS"
              + " without them (it holds public keys only), or use `jwks file \"…\"`");
      return;
    }
    if (DeclaredProviders.plainHttpOffLoopback(uri)) {
      cx.warning(
          JWT_PLAIN_HTTP_JWKS,
          url.span(),
          "the keys are fetched over plain http, so anyone on the path can swap them and mint"
              + " tokens this gateway accepts; use https");
    }
  }

  private static boolean secretQuery(@org.jspecify.annotations.Nullable String query) {
    if (query == null) {
      return false;
    }
    String q = query.toLowerCase(Locale.ROOT);
    return Stream.of("key=", "token=", "secret=", "password=", "apikey=", "api_key=", "sig=")
        .anyMatch(k -> q.startsWith(k) || q.contains("&" + k));
  }

  /** A key pasted where a URL or file name belongs. */
  private boolean inlineKey(StringLit value) {
    String v = value.value().strip();
    if (v.startsWith("{") || v.startsWith("-----BEGIN") || v.contains("\"kty\"")) {
      cx.error(
          JWT_SECRET_IN_POLICY,
          value.span(),
          "this looks like a key written into the policy; keys never go in a policy: write"
              + " `jwks \"https://…\"` or `jwks file \"…\"` instead");
      return true;
    }
    return false;
  }
}
