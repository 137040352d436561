package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.OidcField;
import java.util.Locale;
import java.util.stream.Collectors;

/** The canonical text of the oidc login statements (issue 12). */
final class OidcLayout {
  private OidcLayout() {}

  static String field(OidcField field) {
    return switch (field) {
      case OidcField.AuthorizationEndpoint a -> a.keyword() + " " + Layout.quote(a.url().value());
      case OidcField.TokenEndpoint t -> t.keyword() + " " + Layout.quote(t.url().value());
      case OidcField.ClientId c -> c.keyword() + " " + Layout.quote(c.id().value());
      case OidcField.ClientSecret c -> c.keyword() + " " + secret(c.secret());
      case OidcField.CookieSecret c -> c.keyword() + " " + secret(c.secret());
      case OidcField.RedirectPath r -> r.keyword() + " " + Layout.quote(r.path().value());
      case OidcField.LogoutPath l -> l.keyword() + " " + Layout.quote(l.path().value());
      case OidcField.Scopes s ->
          s.keyword()
              + " "
              + s.scopes().stream()
                  .map(v -> Layout.quote(v.value()))
                  .collect(Collectors.joining(", "));
    };
  }

  private static String secret(OidcField.SecretRef secret) {
    String value = Layout.quote(secret.value().value());
    return secret.kind() == OidcField.SecretRef.Kind.LITERAL
        ? value
        : secret.kind().name().toLowerCase(Locale.ROOT) + " " + value;
  }
}
