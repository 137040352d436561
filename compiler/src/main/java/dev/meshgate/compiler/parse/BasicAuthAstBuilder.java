package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.BasicAuthField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.grammar.MeshParser.*;
import java.util.Optional;

/** basic auth (issue 12): {@code basic-auth} blocks, {@code require basic-auth}, test users. */
final class BasicAuthAstBuilder {
  private BasicAuthAstBuilder() {}

  static Optional<GatewayStmt> provider(AstLeaves b, BasicAuthDeclContext ctx) {
    return ProviderAst.block(
        b, ctx, ctx.string(), ctx.basicAuthField(), f -> field(b, f), GatewayStmt.BasicAuth::new);
  }

  private static Optional<BasicAuthField> field(AstLeaves b, BasicAuthFieldContext ctx) {
    Span span = b.span(ctx);
    return switch (ctx) {
      case BasicAuthUsersFileContext f ->
          b.string(f.string()).map(s -> new BasicAuthField.UsersFile(s, span));
      case BasicAuthUsersKubernetesSecretContext k ->
          b.string(k.string()).map(s -> new BasicAuthField.UsersFile(s, true, span));
      case BasicAuthUsersLiteralContext l ->
          b.string(l.string()).map(s -> new BasicAuthField.UsersLiteral(s, span));
      default -> Optional.empty();
    };
  }

  static Optional<RouteStmt> require(AstLeaves b, RequireBasicAuthStmtContext ctx, Span span) {
    return ProviderAst.require(b, ctx, ctx.string(), span, RouteAuth.RequireBasicAuth::new);
  }

  static Optional<ExpectStmt.Option> testUser(AstLeaves b, WithBasicAuthContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    return b.string(ctx.string()).map(s -> new ExpectStmt.Option.BasicAuth(s, span));
  }
}
