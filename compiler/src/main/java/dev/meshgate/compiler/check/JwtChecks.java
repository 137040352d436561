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
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  void gateway(GatewayDecl gateway) {
    Map<String, GatewayStmt.JwtProvider> providers = new LinkedHashMap<>();
    List<StringLit> used = new ArrayList<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.JwtProvider p) {
        provider(p);
        GatewayStmt.JwtProvider before = providers.putIfAbsent(p.name().value(), p);
        if (before != null) {
          cx.error(
              JWT_DUPLICATE_PROVIDER,
              p.name().span(),
              "duplicate jwt-provider \""
                  + p.name().value()
                  + "\" in gateway \""
                  + gateway.name().text()
                  + "\"; it is first declared at "
                  + cx.at(before.name().span()));
        }
      }
    }
    List<RouteStmt> gatewayOwn = settings(gateway.body().stream());
    Effective atGateway =
        new Effective(Optional.empty(), false, gateway.name().span())
            .over(gatewayOwn, gateway.name().span());
    collect(gatewayOwn, used);
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.Host host) {
        collect(host.settings(), used);
        Effective atHost = atGateway.over(host.settings(), host.host().span());
        for (RouteDecl route : host.routes()) {
          collect(route.body(), used);
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
    boolean unknown = false;
    for (StringLit name : used) {
      if (!providers.containsKey(name.value())) {
        unknown = true;
        cx.error(
            JWT_UNKNOWN_PROVIDER,
            name.span(),
            "gateway \""
                + gateway.name().text()
                + "\" has no jwt-provider \""
                + name.value()
                + "\"; "
                + (providers.isEmpty()
                    ? "declare one like `jwt-provider \""
                        + name.value()
                        + "\" { issuer \"…\" jwks \"https://…\" }`"
                    : NearestNames.hint(
                        name.value(),
                        NearestNames.Kind.declared("jwt providers", providers.keySet()))));
      }
    }
    // A misspelt name would also show its intended provider as unused: say only the first.
    if (cx.current.complete() && !unknown) {
      Set<String> names =
          used.stream().map(StringLit::value).collect(java.util.stream.Collectors.toSet());
      providers.forEach((n, p) -> {
        if (!names.contains(n)) {
          cx.warning(
              JWT_UNUSED_PROVIDER,
              p.name().span(),
              "jwt-provider \""
                  + n
                  + "\" is not required by any host or route, so its tokens are never checked;"
                  + " add `require jwt \""
                  + n
                  + "\"` where it applies, or remove it");
        }
      });
    }
  }

  private static List<RouteStmt> settings(Stream<GatewayStmt> body) {
    return body.flatMap(
            s -> s instanceof GatewayStmt.RouteSetting r ? Stream.of(r.stmt()) : Stream.of())
        .toList();
  }

  private static void collect(List<RouteStmt> stmts, List<StringLit> used) {
    stmts.stream()
        .filter(RouteAuth.RequireJwt.class::isInstance)
        .map(RouteAuth.RequireJwt.class::cast)
        .flatMap(r -> r.provider().stream())
        .forEach(used::add);
  }

  private static <T extends RouteStmt> Optional<T> first(List<RouteStmt> stmts, Class<T> kind) {
    return stmts.stream().filter(kind::isInstance).map(kind::cast).findFirst();
  }

  private void provider(GatewayStmt.JwtProvider p) {
    String name = p.name().value();
    if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
      cx.error(
          JWT_INVALID_PROVIDER_NAME,
          p.name().span(),
          "jwt-provider name \""
              + name
              + "\" may only use letters, digits and . _ - (it names Envoy resources)");
    }
    once(p.all(JwtField.Issuer.class), "issuer");
    once(p.all(JwtField.Audiences.class), "audiences");
    List<JwtField> jwks =
        p.fields().stream()
            .filter(f -> f instanceof JwtField.RemoteJwks || f instanceof JwtField.LocalJwks)
            .toList();
    once(jwks, "jwks");
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

  private void once(List<? extends JwtField> fields, String keyword) {
    for (JwtField extra : fields.stream().skip(1).toList()) {
      cx.error(
          JWT_REPEATED_FIELD,
          extra.span(),
          "`"
              + keyword
              + "` is already written at "
              + cx.at(fields.getFirst().span())
              + "; a provider has one");
    }
  }

  private void remote(JwtField.RemoteJwks jwks) {
    StringLit url = jwks.url();
    jwks.cache().ifPresent(values::duration);
    if (inlineKey(url)) {
      return;
    }
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
        || uri.getRawPath() == null
        || uri.getRawPath().isEmpty()) {
      cx.error(
          JWT_INVALID_JWKS_URL,
          url.span(),
          "jwks \""
              + url.value()
              + "\" is not an http(s) URL with a host and a path, like"
              + " \"https://auth.example/.well-known/jwks.json\"");
      return;
    }
    if (uri.getRawUserInfo() != null || secretQuery(uri.getRawQuery())) {
      cx.error(
          JWT_SECRET_IN_POLICY,
          url.span(),
          "the jwks URL carries credentials; secrets never go in a policy: serve the JWKS"
              + " without them (it holds public keys only), or use `jwks file \"…\"`");
      return;
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    if (scheme.equals("http") && !loopback) {
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
