package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.BasicAuthField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** basic auth (issue 12): {@code basic-auth} blocks, {@code require basic-auth}, test users. */
final class BasicAuthAstBuilder {
  private BasicAuthAstBuilder() {}

  static Optional<GatewayStmt> provider(AstLeaves b, BasicAuthDeclContext ctx) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    Optional<StringLit> name = b.string(ctx.string());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<BasicAuthField> fields = new ArrayList<>();
    for (BasicAuthFieldContext field : ctx.basicAuthField()) {
      Span span = b.span(field);
      Optional<BasicAuthField> built =
          switch (field) {
            case BasicAuthUsersFileContext f ->
                b.string(f.string()).map(s -> new BasicAuthField.UsersFile(s, span));
            case BasicAuthUsersKubernetesSecretContext k ->
                b.string(k.string()).map(s -> new BasicAuthField.UsersFile(s, true, span));
            case BasicAuthUsersLiteralContext l ->
                b.string(l.string()).map(s -> new BasicAuthField.UsersLiteral(s, span));
            default -> Optional.empty();
          };
      if (built.isEmpty()) {
        return Optional.empty();
      }
      fields.add(built.get());
    }
    return Optional.of(
        new GatewayStmt.BasicAuth(name.get(), fields, b.span(ctx.start, ctx.string().stop)));
  }

  static Optional<RouteStmt> require(AstLeaves b, RequireBasicAuthStmtContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx) || ctx.string().isEmpty()) {
      return Optional.empty();
    }
    List<StringLit> all = AstLeaves.all(ctx.string(), b::string);
    if (all.size() != ctx.string().size()) {
      return Optional.empty();
    }
    return Optional.of(
        new RouteAuth.RequireBasicAuth(all.getFirst(), all.subList(1, all.size()), span));
  }

  static Optional<ExpectStmt.Option> testUser(AstLeaves b, WithBasicAuthContext ctx, Span span) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    return b.string(ctx.string()).map(s -> new ExpectStmt.Option.BasicAuth(s, span));
  }
}
