package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.ApiKeyField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** api keys (issue 12): {@code api-keys} blocks, {@code require api-key}, test keys. */
final class ApiKeyAstBuilder {
  private ApiKeyAstBuilder() {}

  static Optional<GatewayStmt> provider(AstLeaves b, ApiKeysDeclContext ctx) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    Optional<StringLit> name = b.string(ctx.string());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<ApiKeyField> fields = new ArrayList<>();
    for (ApiKeysFieldContext field : ctx.apiKeysField()) {
      Optional<ApiKeyField> built = field(b, field);
      if (built.isEmpty()) {
        return Optional.empty();
      }
      fields.add(built.get());
    }
    return Optional.of(
        new GatewayStmt.ApiKeys(name.get(), fields, b.span(ctx.start, ctx.string().stop)));
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
    if (AstLeaves.hasErrorNodes(ctx) || ctx.string().isEmpty()) {
      return Optional.empty();
    }
    List<StringLit> all = AstLeaves.all(ctx.string(), b::string);
    if (all.size() != ctx.string().size()) {
      return Optional.empty();
    }
    return Optional.of(
        new RouteAuth.RequireApiKey(all.getFirst(), all.subList(1, all.size()), span));
  }

  static Optional<ExpectStmt.Option> testKey(AstLeaves b, WithApiKeyContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    return b.string(ctx.string()).map(s -> new ExpectStmt.Option.ApiKey(s, span));
  }
}
