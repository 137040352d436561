package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayStmt.JwtField;
import dev.meshgate.compiler.ast.JwtCondition;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.StringLit;
import java.util.stream.Collectors;

/** The canonical text of the jwt statements (issue 12). */
final class JwtLayout {
  private JwtLayout() {}

  static String field(JwtField field) {
    return switch (field) {
      case JwtField.Issuer i -> "issuer " + Layout.quote(i.issuer().value());
      case JwtField.Audiences a ->
          "audiences "
              + a.audiences().stream()
                  .map(s -> Layout.quote(s.value()))
                  .collect(Collectors.joining(", "));
      case JwtField.RemoteJwks r ->
          "jwks "
              + Layout.quote(r.url().value())
              + r.cache().map(c -> " cache " + c.text()).orElse("");
      case JwtField.LocalJwks l -> "jwks file " + Layout.quote(l.file().value());
      case JwtField.FromHeader h ->
          "from header "
              + Layout.quote(h.header().value())
              + h.prefix().map(p -> " prefix " + Layout.quote(p.value())).orElse("");
      case JwtField.FromQuery q -> "from query " + Layout.quote(q.parameter().value());
      case JwtField.FromCookie c -> "from cookie " + Layout.quote(c.cookie().value());
      case JwtField.ClaimToHeader c ->
          "claim "
              + Layout.quote(c.claim().value())
              + " to-header "
              + Layout.quote(c.header().value());
    };
  }

  static String require(RouteAuth.RequireJwt r) {
    return r.provider()
        .map(p -> "require jwt " + Layout.quote(p.value()) + (r.optional() ? " optional" : ""))
        .orElse("require none");
  }

  static String rule(RouteAuth.JwtRule r) {
    return r.keyword()
        + " "
        + r.conditions().stream()
            .map(c ->
                switch (c) {
                  case JwtCondition.Claim claim ->
                      "claim "
                          + Layout.quote(claim.claim().value())
                          + " = "
                          + Layout.quote(claim.value().value());
                  case JwtCondition.Scope s -> "scope " + Layout.quote(s.scope().value());
                })
            .collect(Collectors.joining(" and "));
  }

  static String withJwt(ExpectStmt.Option.Jwt j) {
    if (j.claims().isEmpty()) {
      return " with jwt";
    }
    return " with jwt claims { "
        + j.claims().stream()
            .map(c -> quote(c.name()) + " = " + quote(c.value()))
            .collect(Collectors.joining(", "))
        + " }";
  }

  private static String quote(StringLit s) {
    return Layout.quote(s.value());
  }
}
