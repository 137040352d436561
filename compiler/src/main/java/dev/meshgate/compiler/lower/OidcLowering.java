package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.OidcField;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.OidcIr;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** oidc login (issue 12): a gateway's {@code oidc-provider}s, sorted by name. */
final class OidcLowering {
  static final String DEFAULT_REDIRECT_PATH = "/oauth2/callback";
  static final String DEFAULT_LOGOUT_PATH = "/logout";

  /** Envoy asks for the scope {@code user} when none is given, which no OIDC provider knows. */
  static final List<String> DEFAULT_SCOPES = List.of("openid");

  private OidcLowering() {}

  static List<OidcIr> providers(GatewayDecl gateway) {
    List<OidcIr> providers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.OidcProvider p && seen.add(p.name().value())) {
        providers.add(provider(p));
      }
    }
    providers.sort(Comparator.comparing(OidcIr::name));
    return List.copyOf(providers);
  }

  /** The checker made sure both endpoints, the client id and a client secret source are there. */
  private static OidcIr provider(GatewayStmt.OidcProvider p) {
    String name = p.name().value();
    String authorize = p.all(OidcField.AuthorizationEndpoint.class).getFirst().url().value();
    String token = p.all(OidcField.TokenEndpoint.class).getFirst().url().value();
    OidcIr.SecretIr clientSecret = secret(p.all(OidcField.ClientSecret.class).getFirst().secret());
    OidcIr.SecretIr cookieSecret =
        p.all(OidcField.CookieSecret.class).stream()
            .findFirst()
            .map(c -> secret(c.secret()))
            // Derived from the client secret, so replicas agree without more configuration.
            .orElse(
                new OidcIr.SecretIr(OidcIr.SecretIr.Kind.DERIVED, "meshgate-oidc-cookie:" + name));
    String redirect =
        p.all(OidcField.RedirectPath.class).stream()
            .findFirst()
            .map(r -> r.path().value())
            .orElse(DEFAULT_REDIRECT_PATH);
    String logout =
        p.all(OidcField.LogoutPath.class).stream()
            .findFirst()
            .map(l -> l.path().value())
            .orElse(DEFAULT_LOGOUT_PATH);
    List<String> scopes =
        p.all(OidcField.Scopes.class).stream()
            .flatMap(s -> s.scopes().stream())
            .map(StringLit::value)
            .distinct()
            .toList();
    return new OidcIr(
        name,
        authorize,
        token,
        endpoint(name, token),
        p.all(OidcField.ClientId.class).getFirst().id().value(),
        clientSecret,
        cookieSecret,
        redirect,
        logout,
        scopes.isEmpty() ? DEFAULT_SCOPES : scopes);
  }

  private static OidcIr.TokenEndpointIr endpoint(String provider, String url) {
    URI uri = URI.create(url);
    boolean tls = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new OidcIr.TokenEndpointIr("oidc:" + provider, host.toLowerCase(Locale.ROOT), port, tls);
  }

  private static OidcIr.SecretIr secret(OidcField.SecretRef ref) {
    return switch (ref.kind()) {
      case FILE -> new OidcIr.SecretIr(OidcIr.SecretIr.Kind.FILE, TlsLowering.file(ref.value()));
      case ENV -> new OidcIr.SecretIr(OidcIr.SecretIr.Kind.ENV, ref.value().value());
      // Refused by the checker (MG612) before lowering.
      case LITERAL -> throw new IllegalStateException("a literal secret reached the lowering");
    };
  }
}
