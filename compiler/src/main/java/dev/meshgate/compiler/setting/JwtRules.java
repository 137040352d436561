package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.JwtCondition;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ir.JwtIr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * jwt (issue 12): {@code allow|deny jwt claim "c" = "v" [and scope "s" …]} on a gateway, a host or
 * a route: authorization on the verified token's claims, in the mesh's allow/deny model. Envoy:
 * {@code translate/JwtRules} (RBAC on the {@code jwt_payload} metadata, slot {@code RBAC});
 * simulated (403 from {@code with jwt claims {…}}); goldens: {@code jwt/}.
 */
final class JwtRules implements Setting<RouteAuth.JwtRule> {
  /** The claim the OAuth 2.0 scopes sit in (RFC 8693 §4.2), space-separated. */
  static final String SCOPE_CLAIM = "scope";

  @Override
  public Class<RouteAuth.JwtRule> node() {
    return RouteAuth.JwtRule.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.REPEATABLE;
  }

  @Override
  public void check(RouteAuth.JwtRule rule, SettingChecks checks) {
    for (JwtCondition c : rule.conditions()) {
      if (c instanceof JwtCondition.Claim claim && claim.claim().value().isBlank()) {
        checks.error(JWT_EMPTY_CLAIM, claim.claim().span(), "a claim name cannot be empty");
      }
      if (c instanceof JwtCondition.Scope scope
          && (scope.scope().value().isBlank() || scope.scope().value().contains(" "))) {
        checks.error(
            JWT_INVALID_SCOPE,
            scope.scope().span(),
            "scope \""
                + scope.scope().value()
                + "\" is not one scope: scopes are separated by spaces in the token; write one"
                + " `scope` condition per scope, joined by `and`");
      }
    }
  }

  @Override
  public void lower(RouteAuth.JwtRule rule, RouteParts parts) {
    parts.jwtRule(rule.allow(), ir(rule));
  }

  static JwtIr.ClaimRuleIr ir(RouteAuth.JwtRule rule) {
    List<JwtIr.ConditionIr> conditions = new ArrayList<>();
    List<String> text = new ArrayList<>();
    for (JwtCondition c : rule.conditions()) {
      switch (c) {
        case JwtCondition.Claim claim -> {
          conditions.add(
              new JwtIr.ConditionIr(claim.claim().value(), claim.value().value(), false));
          text.add("claim \"" + claim.claim().value() + "\" = \"" + claim.value().value() + "\"");
        }
        case JwtCondition.Scope scope -> {
          conditions.add(new JwtIr.ConditionIr(SCOPE_CLAIM, scope.scope().value(), true));
          text.add("scope \"" + scope.scope().value() + "\"");
        }
      }
    }
    return new JwtIr.ClaimRuleIr(rule.keyword() + " " + String.join(" and ", text), conditions);
  }
}
