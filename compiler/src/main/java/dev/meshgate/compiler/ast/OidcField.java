package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;

/** oidc login (issue 12): one field of an {@code oidc-provider} block. */
public sealed interface OidcField extends Node {
  /** The field's keyword, for messages. */
  String keyword();

  /** {@code authorization-endpoint "https://…"}: where Envoy sends the browser to log in. */
  record AuthorizationEndpoint(StringLit url, Span span) implements OidcField {
    @Override
    public String keyword() {
      return "authorization-endpoint";
    }
  }

  /** {@code token-endpoint "https://…"}: where Envoy exchanges the code for tokens. */
  record TokenEndpoint(StringLit url, Span span) implements OidcField {
    @Override
    public String keyword() {
      return "token-endpoint";
    }
  }

  record ClientId(StringLit id, Span span) implements OidcField {
    @Override
    public String keyword() {
      return "client-id";
    }
  }

  /** {@code client-secret file "…" | env "…"} (a literal is parsed to be refused). */
  record ClientSecret(SecretRef secret, Span span) implements OidcField {
    @Override
    public String keyword() {
      return "client-secret";
    }
  }

  /** {@code cookie-secret file "…" | env "…"}: the key that signs the session cookies. */
  record CookieSecret(SecretRef secret, Span span) implements OidcField {
    @Override
    public String keyword() {
      return "cookie-secret";
    }
  }

  record RedirectPath(StringLit path, Span span) implements OidcField {
    @Override
    public String keyword() {
      return "redirect-path";
    }
  }

  record LogoutPath(StringLit path, Span span) implements OidcField {
    @Override
    public String keyword() {
      return "logout-path";
    }
  }

  record Scopes(List<StringLit> scopes, Span span) implements OidcField {
    public Scopes {
      scopes = List.copyOf(scopes);
    }

    @Override
    public String keyword() {
      return "scopes";
    }
  }

  /**
   * Where a secret is read at serve time: {@code file "…"} or {@code env "…"}. {@code LITERAL} is a
   * secret written in the policy itself, which the checker refuses (MG612).
   */
  record SecretRef(Kind kind, StringLit value, Span span) implements Node {
    public enum Kind {
      FILE,
      ENV,
      LITERAL
    }
  }
}
