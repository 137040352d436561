package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.JwtIr;
import dev.meshgate.compiler.ir.RouteIr;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC.Action;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.List;

/**
 * jwt (issue 12): claim rules ({@code allow|deny jwt …}) as Envoy RBAC (slot {@link
 * HttpFilters.Slot#RBAC}), the same model and filter as the mesh's {@code allow}/{@code deny}
 * ({@link Rbac}): a DENY filter, then an ALLOW filter; principals match the verified payload that
 * {@link Jwt} writes to dynamic metadata. Both filters sit in the listener without rules (they
 * enforce nothing there) and a route with rules gets them as {@code RBACPerRoute}, so a rule change
 * is an RDS update that reaches the next request on every connection. A request with no verified
 * token has no payload: it matches no {@code allow} (403) and no {@code deny}.
 */
final class JwtRules {
  static final String DENY_FILTER = "meshgate.jwt.deny";
  static final String ALLOW_FILTER = "meshgate.jwt.allow";

  private JwtRules() {}

  static boolean used(GatewayIr gateway) {
    return gateway.hosts().stream()
        .flatMap(h -> h.routes().stream())
        .flatMap(r -> r.jwt().stream())
        .anyMatch(j -> !j.allow().isEmpty() || !j.deny().isEmpty());
  }

  static List<HttpFilter> filters() {
    return List.of(filter(DENY_FILTER, "jwt_deny_"), filter(ALLOW_FILTER, "jwt_allow_"));
  }

  private static HttpFilter filter(String name, String statPrefix) {
    return HttpFilter.newBuilder()
        .setName(name)
        .setTypedConfig(Any.pack(RBAC.newBuilder().setRulesStatPrefix(statPrefix).build()))
        .build();
  }

  static void apply(RouteIr route, Route.Builder envoy) {
    route
        .jwt()
        .ifPresent(
            jwt -> {
              if (!jwt.deny().isEmpty()) {
                envoy.putTypedPerFilterConfig(DENY_FILTER, perRoute(Action.DENY, jwt.deny()));
              }
              if (!jwt.allow().isEmpty()) {
                envoy.putTypedPerFilterConfig(ALLOW_FILTER, perRoute(Action.ALLOW, jwt.allow()));
              }
            });
  }

  private static Any perRoute(Action action, List<JwtIr.ClaimRuleIr> rules) {
    var envoy = io.envoyproxy.envoy.config.rbac.v3.RBAC.newBuilder().setAction(action);
    for (JwtIr.ClaimRuleIr rule : rules) {
      envoy.putPolicies(
          rule.name(),
          Policy.newBuilder()
              .addPermissions(Permission.newBuilder().setAny(true))
              .addPrincipals(principal(rule))
              .build());
    }
    return Any.pack(RBACPerRoute.newBuilder().setRbac(RBAC.newBuilder().setRules(envoy)).build());
  }

  private static Principal principal(JwtIr.ClaimRuleIr rule) {
    List<Principal> conditions = rule.conditions().stream().map(JwtRules::condition).toList();
    return conditions.size() == 1
        ? conditions.getFirst()
        : Principal.newBuilder()
            .setAndIds(Principal.Set.newBuilder().addAllIds(conditions))
            .build();
  }

  /** The claim is the value, or a list holding it (scopes are split into a list by {@link Jwt}). */
  static Principal condition(JwtIr.ConditionIr condition) {
    ValueMatcher value =
        ValueMatcher.newBuilder()
            .setStringMatch(StringMatcher.newBuilder().setExact(condition.value()))
            .build();
    Principal asString = metadata(condition.claim(), value);
    Principal inList =
        metadata(
            condition.claim(),
            ValueMatcher.newBuilder()
                .setListMatch(ListMatcher.newBuilder().setOneOf(value))
                .build());
    return Principal.newBuilder()
        .setOrIds(Principal.Set.newBuilder().addIds(asString).addIds(inList))
        .build();
  }

  private static Principal metadata(String claim, ValueMatcher value) {
    return Principal.newBuilder()
        .setMetadata(
            MetadataMatcher.newBuilder()
                .setFilter(Jwt.FILTER)
                .addPath(MetadataMatcher.PathSegment.newBuilder().setKey(Jwt.PAYLOAD))
                .addPath(MetadataMatcher.PathSegment.newBuilder().setKey(claim))
                .setValue(value))
        .build();
  }
}
