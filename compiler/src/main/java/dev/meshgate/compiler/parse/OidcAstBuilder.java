package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.OidcField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** oidc login (issue 12): providers on a gateway and {@code require oidc}. */
final class OidcAstBuilder {
  private OidcAstBuilder() {}

  static Optional<GatewayStmt> provider(AstLeaves b, OidcProviderDeclContext ctx) {
    if (AstLeaves.hasErrorNodes(ctx) || ctx.oidcProviderBody() == null) {
      return Optional.empty();
    }
    Optional<StringLit> name = b.string(ctx.string());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<OidcField> fields = new ArrayList<>();
    for (OidcProviderFieldContext field : ctx.oidcProviderBody().oidcProviderField()) {
      Optional<OidcField> built = field(b, field);
      if (built.isEmpty()) {
        return Optional.empty();
      }
      fields.add(built.get());
    }
    return Optional.of(
        new GatewayStmt.OidcProvider(name.get(), fields, b.span(ctx.start, ctx.string().stop)));
  }

  private static Optional<OidcField> field(AstLeaves b, OidcProviderFieldContext ctx) {
    Span span = b.span(ctx);
    return switch (ctx) {
      case OidcAuthorizationEndpointContext a ->
          b.string(a.string()).map(s -> new OidcField.AuthorizationEndpoint(s, span));
      case OidcTokenEndpointContext t ->
          b.string(t.string()).map(s -> new OidcField.TokenEndpoint(s, span));
      case OidcClientIdContext c -> b.string(c.string()).map(s -> new OidcField.ClientId(s, span));
      case OidcClientSecretContext c ->
          secret(b, c.secretSource()).map(s -> new OidcField.ClientSecret(s, span));
      case OidcCookieSecretContext c ->
          secret(b, c.secretSource()).map(s -> new OidcField.CookieSecret(s, span));
      case OidcRedirectPathContext r ->
          b.string(r.string()).map(s -> new OidcField.RedirectPath(s, span));
      case OidcLogoutPathContext l ->
          b.string(l.string()).map(s -> new OidcField.LogoutPath(s, span));
      case OidcScopesContext s -> {
        List<StringLit> scopes = AstLeaves.all(s.string(), b::string);
        yield scopes.size() == s.string().size()
            ? Optional.of(new OidcField.Scopes(scopes, span))
            : Optional.empty();
      }
      default -> Optional.empty();
    };
  }

  private static Optional<OidcField.SecretRef> secret(AstLeaves b, SecretSourceContext ctx) {
    if (ctx == null) {
      return Optional.empty();
    }
    Span span = b.span(ctx);
    return switch (ctx) {
      case SecretFileContext f ->
          b.string(f.string())
              .map(s -> new OidcField.SecretRef(OidcField.SecretRef.Kind.FILE, s, span));
      case SecretEnvContext e ->
          b.string(e.string())
              .map(s -> new OidcField.SecretRef(OidcField.SecretRef.Kind.ENV, s, span));
      case SecretLiteralContext l ->
          b.string(l.string())
              .map(s -> new OidcField.SecretRef(OidcField.SecretRef.Kind.LITERAL, s, span));
      default -> Optional.empty();
    };
  }

  static Optional<RouteStmt> require(AstLeaves b, RequireOidcStmtContext ctx, Span span) {
    return b.string(ctx.string()).map(s -> new RouteAuth.RequireOidc(s, span));
  }
}
