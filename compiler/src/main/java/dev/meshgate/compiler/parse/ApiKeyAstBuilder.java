package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.ApiKeyField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.grammar.MeshParser.*;
import java.util.Optional;

/** api keys (issue 12): {@code api-keys} blocks, {@code require api-key}, test keys. */
final class ApiKeyAstBuilder {
  private ApiKeyAstBuilder() {}

  static Optional<GatewayStmt> provider(AstLeaves b, ApiKeysDeclContext ctx) {
    return ProviderAst.block(
        b, ctx, ctx.string(), ctx.apiKeysField(), f -> field(b, f), GatewayStmt.ApiKeys::new);
  }

  private static Optional<ApiKeyField> field(AstLeaves b, ApiKeysFieldContext ctx) {
    Span span = b.span(ctx);
    return switch (ctx) {
      case ApiKeysFileContext f -> b.string(f.string()).map(s -> new ApiKeyField.KeysFile(s, span));
      case ApiKeysKubernetesSecretContext k ->
          b.string(k.string()).map(s -> new ApiKeyField.KeysFile(s, true, span));
      case ApiKeysLiteralContext l ->
          b.string(l.string()).map(s -> new ApiKeyField.KeysLiteral(s, span));
      case ApiKeysFromHeaderContext h ->
          b.string(h.string()).map(s -> new ApiKeyField.From(ApiKeyField.Place.HEADER, s, span));
      case ApiKeysFromQueryContext q ->
          b.string(q.string()).map(s -> new ApiKeyField.From(ApiKeyField.Place.QUERY, s, span));
      case ApiKeysFromCookieContext c ->
          b.string(c.string()).map(s -> new ApiKeyField.From(ApiKeyField.Place.COOKIE, s, span));
      default -> Optional.empty();
    };
  }

  static Optional<RouteStmt> require(AstLeaves b, RequireApiKeyStmtContext ctx, Span span) {
    return ProviderAst.require(b, ctx, ctx.string(), span, RouteAuth.RequireApiKey::new);
  }

  static Optional<ExpectStmt.Option> testKey(AstLeaves b, WithApiKeyContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    return b.string(ctx.string()).map(s -> new ExpectStmt.Option.ApiKey(s, span));
  }
}
