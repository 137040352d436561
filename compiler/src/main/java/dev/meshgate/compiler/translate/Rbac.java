package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.AuthzRuleIr;
import dev.meshgate.compiler.ir.MeshIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PrincipalIr;
import dev.meshgate.compiler.ir.SidecarIr;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC.Action;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Inbound authorization as Envoy RBAC filters, evaluated like Istio:
 *
 * <ol>
 *   <li>a DENY filter with the {@code deny} rules (enforced) and the {@code deny dry-run} rules
 *       (its {@code shadow_rules}: counted and logged, never enforced);
 *   <li>an ALLOW filter: under {@code authz default deny} it holds the {@code allow} rules, and a
 *       request matching none gets 403 (an empty policy set denies everything, which is the point);
 *       under {@code authz default allow} it is switched off.
 * </ol>
 *
 * <p>The rules do not live in the listener. Envoy keeps serving an established connection with the
 * filter chain it was accepted on until that chain drains (600 s by default), so rules in the
 * listener would take up to ten minutes to reach a caller that is already connected (a revoked
 * {@code allow} would keep letting it in). Instead both filters sit in the listener with a base
 * config that depends on the service name only (stat prefixes, and for the allow filter "deny
 * everything": fail closed for a request no route configures), and the rules go in the inbound
 * virtual host's {@code typed_per_filter_config} ({@code RBACPerRoute}, keyed by the filter names)
 * in the RDS resource {@code <svc>:inbound}. A rule change is then an RDS update only, which Envoy
 * applies to the very next request on every connection. An {@code RBACPerRoute} replaces the
 * filter's rules and shadow rules, but not its stat prefixes (Envoy keeps those of the filter), so
 * the stats stay where they were.
 *
 * <p>Stats (HCM stat prefix {@code <svc>_inbound}): {@code
 * http.<svc>_inbound.rbac.<svc>_deny_denied}, {@code …rbac.<svc>_deny_shadow_denied}, {@code
 * …rbac.<svc>_allow_denied} (and {@code _allowed}). Policy names are the rules as written, which
 * Envoy puts in its response details ({@code rbac_access_denied_matched_policy[…]}) and shadow
 * metadata.
 */
final class Rbac {
  static final String DENY_FILTER = "meshgate.rbac.deny";
  static final String ALLOW_FILTER = "meshgate.rbac.allow";

  private Rbac() {}

  /**
   * The two filters of the inbound listener, deny then allow. Their configs depend on the service
   * name only, so that no rule change ever changes the listener.
   */
  static List<HttpFilter> filters(SidecarIr sidecar) {
    RBAC deny =
        RBAC.newBuilder()
            // No rules: a request that no route configures is not denied here (the allow
            // filter's base config denies it).
            .setRulesStatPrefix(denyPrefix(sidecar))
            .setShadowRulesStatPrefix(denyPrefix(sidecar))
            .build();
    RBAC allow =
        RBAC.newBuilder()
            // An ALLOW set without policies denies everything: fail closed if a request ever
            // reaches a route without the per-route rules.
            .setRules(io.envoyproxy.envoy.config.rbac.v3.RBAC.newBuilder().setAction(Action.ALLOW))
            .setRulesStatPrefix(allowPrefix(sidecar))
            .build();
    return List.of(filter(DENY_FILTER, deny), filter(ALLOW_FILTER, allow));
  }

  /**
   * The rules, as {@code typed_per_filter_config} for the inbound virtual host: filter name →
   * {@code RBACPerRoute}. Both filters always get an entry, so the base configs above never decide
   * a routed request. An {@code RBACPerRoute} without {@code rbac} switches the filter off for the
   * route (Envoy: "if absent, the global RBAC policy will be disabled").
   */
  static Map<String, Any> perRouteConfig(SidecarIr sidecar) {
    var authz = sidecar.authz();
    RBAC.Builder deny = RBAC.newBuilder();
    if (!authz.deny().isEmpty()) {
      deny.setRules(rules(Action.DENY, authz.deny()));
    }
    if (!authz.shadowDeny().isEmpty()) {
      deny.setShadowRules(rules(Action.DENY, authz.shadowDeny()));
    }
    RBACPerRoute.Builder allow = RBACPerRoute.newBuilder();
    if (authz.defaultAction() == MeshIr.AuthzDefault.DENY) {
      allow.setRbac(RBAC.newBuilder().setRules(rules(Action.ALLOW, authz.allow())));
    }
    Map<String, Any> config = new TreeMap<>();
    config.put(DENY_FILTER, Any.pack(perRoute(deny.build())));
    config.put(ALLOW_FILTER, Any.pack(allow.build()));
    return config;
  }

  private static RBACPerRoute perRoute(RBAC rbac) {
    return rbac.equals(RBAC.getDefaultInstance())
        ? RBACPerRoute.getDefaultInstance()
        : RBACPerRoute.newBuilder().setRbac(rbac).build();
  }

  private static String denyPrefix(SidecarIr sidecar) {
    return sidecar.service() + "_deny_";
  }

  private static String allowPrefix(SidecarIr sidecar) {
    return sidecar.service() + "_allow_";
  }

  private static HttpFilter filter(String name, RBAC config) {
    return HttpFilter.newBuilder().setName(name).setTypedConfig(Any.pack(config)).build();
  }

  static io.envoyproxy.envoy.config.rbac.v3.RBAC rules(Action action, List<AuthzRuleIr> rules) {
    var envoy = io.envoyproxy.envoy.config.rbac.v3.RBAC.newBuilder().setAction(action);
    for (AuthzRuleIr rule : rules) {
      envoy.putPolicies(
          rule.name(),
          Policy.newBuilder()
              .addPermissions(permission(rule))
              .addPrincipals(principal(rule.principal()))
              .build());
    }
    return envoy.build();
  }

  static Principal principal(PrincipalIr principal) {
    return switch (principal) {
      case PrincipalIr.AnyPeer any -> Principal.newBuilder().setAny(true).build();
      // No principal_name: any peer that completed mTLS with a mesh certificate.
      case PrincipalIr.AnyAuthenticated any ->
          Principal.newBuilder()
              .setAuthenticated(Principal.Authenticated.getDefaultInstance())
              .build();
      // principal_name is matched against the certificate's URI SAN first: the SPIFFE ID.
      case PrincipalIr.Identity id ->
          Principal.newBuilder()
              .setAuthenticated(
                  Principal.Authenticated.newBuilder()
                      .setPrincipalName(StringMatcher.newBuilder().setExact(id.spiffeId())))
              .build();
    };
  }

  /** Methods (any of) and paths (any of), both required when given; nothing given = any request. */
  static Permission permission(AuthzRuleIr rule) {
    List<Permission> parts = new ArrayList<>();
    if (!rule.methods().isEmpty()) {
      parts.add(any(rule.methods().stream().map(Rbac::method).toList()));
    }
    if (!rule.paths().isEmpty()) {
      parts.add(any(rule.paths().stream().flatMap(p -> paths(p).stream()).toList()));
    }
    if (parts.isEmpty()) {
      return Permission.newBuilder().setAny(true).build();
    }
    if (parts.size() == 1) {
      return parts.getFirst();
    }
    return Permission.newBuilder()
        .setAndRules(Permission.Set.newBuilder().addAllRules(parts))
        .build();
  }

  private static Permission any(List<Permission> permissions) {
    return permissions.size() == 1
        ? permissions.getFirst()
        : Permission.newBuilder()
            .setOrRules(Permission.Set.newBuilder().addAllRules(permissions))
            .build();
  }

  private static Permission method(String method) {
    return Permission.newBuilder()
        .setHeader(
            HeaderMatcher.newBuilder()
                .setName(RouteMatches.METHOD_HEADER)
                .setStringMatch(StringMatcher.newBuilder().setExact(method)))
        .build();
  }

  /**
   * Paths mean what they mean in routes. {@code url_path} matches the path without the query string
   * (after the connection manager normalised it). {@code /a/**} is "/a" itself or anything under
   * "/a/" (segment boundary: never "/ab"); {@code /**} is any path.
   */
  static List<Permission> paths(PathMatchIr path) {
    return switch (path) {
      case PathMatchIr.Exact e ->
          List.of(urlPath(StringMatcher.newBuilder().setExact(e.path()).build()));
      case PathMatchIr.Prefix p -> {
        String base = p.prefix();
        while (base.endsWith("/")) {
          base = base.substring(0, base.length() - 1);
        }
        if (base.isEmpty()) {
          yield List.of(urlPath(StringMatcher.newBuilder().setPrefix("/").build()));
        }
        yield List.of(
            urlPath(StringMatcher.newBuilder().setExact(base).build()),
            urlPath(StringMatcher.newBuilder().setPrefix(base + "/").build()));
      }
      case PathMatchIr.Regex r ->
          List.of(
              urlPath(StringMatcher.newBuilder().setSafeRegex(Regexes.matcher(r.regex())).build()));
    };
  }

  private static Permission urlPath(StringMatcher matcher) {
    return Permission.newBuilder().setUrlPath(PathMatcher.newBuilder().setPath(matcher)).build();
  }
}
