package dev.meshgate.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC.Action;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Envoy keeps serving an established connection with the filter chain it was accepted on until that
 * chain drains (600 s by default). Were the authorization rules in the inbound listener, a revoked
 * {@code allow} would keep letting an already-connected caller in for up to ten minutes. So a pure
 * authorization change must be an RDS-only change: the listeners of the sidecar stay
 * byte-identical, and only its route table {@code <svc>:inbound} changes.
 */
class AuthzUpdatesAreRouteOnlyTest {
  private static final String SERVICES =
      """
      service catalog {
        source static 127.0.0.1:15101
        sidecar { inbound 127.0.0.1:15101 app 127.0.0.1:9101 }
      }
      service orders {
        source static 127.0.0.1:15201
        sidecar { inbound 127.0.0.1:15201 app 127.0.0.1:9201 }
      }
      service reviews {
        source static 127.0.0.1:15301
        sidecar { inbound 127.0.0.1:15301 app 127.0.0.1:9301 }
      }
      """;

  private static final String STRICT_DENY = "mesh {\n mtls strict\n authz default deny\n}\n";
  private static final ProxyGroup CATALOG = ProxyGroup.sidecar("catalog");

  private static ProxyResources catalog(String policy) {
    Compilation compilation = Compiler.compile(List.of(new Source("policy.mesh", policy)));
    assertThat(compilation.diagnostics())
        .filteredOn(d -> d.severity() == Severity.ERROR)
        .extracting(Diagnostic::render)
        .isEmpty();
    return compilation.policy().orElseThrow().group(CATALOG).orElseThrow();
  }

  private static String listenersJson(ProxyResources resources) {
    return EnvoyOutput.json(
        new ProxyResources(
            resources.group(),
            resources.listeners(),
            List.of(),
            List.of(),
            List.of(),
            resources.identity()));
  }

  private static RouteConfiguration inboundRoutes(ProxyResources resources) {
    return resources.routes().stream()
        .filter(r -> r.getName().equals("catalog:inbound"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void addingAnAllowChangesTheRouteTableButNotTheListener() {
    ProxyResources without = catalog(STRICT_DENY + SERVICES + "allow orders -> catalog GET\n");
    ProxyResources with =
        catalog(STRICT_DENY + SERVICES + "allow orders -> catalog GET\nallow reviews -> catalog\n");

    assertThat(with.listeners()).isEqualTo(without.listeners());
    assertThat(listenersJson(with)).isEqualTo(listenersJson(without));
    assertThat(inboundRoutes(with)).isNotEqualTo(inboundRoutes(without));
  }

  @Test
  void noRuleChangeAndNoDefaultChangeTouchesTheListener() {
    List<String> variants =
        List.of(
            STRICT_DENY + SERVICES,
            STRICT_DENY + SERVICES + "allow reviews -> catalog\n",
            STRICT_DENY + SERVICES + "allow reviews -> catalog\ndeny orders -> catalog DELETE\n",
            STRICT_DENY
                + SERVICES
                + "allow reviews -> catalog\ndeny dry-run orders -> catalog POST /admin/**\n",
            "mesh {\n mtls strict\n authz default allow\n}\n"
                + SERVICES
                + "deny orders -> catalog\n");
    String first = listenersJson(catalog(variants.getFirst()));
    for (String variant : variants) {
      assertThat(listenersJson(catalog(variant))).as(variant).isEqualTo(first);
    }
    assertThat(variants.stream().map(v -> inboundRoutes(catalog(v))).distinct())
        .hasSize(variants.size());
  }

  @Test
  void onlyTheMtlsModeChangesTheInboundListener() {
    String permissive =
        "mesh {\n mtls permissive\n authz default deny\n}\n"
            + SERVICES
            + "allow reviews -> catalog\n";
    String strict = STRICT_DENY + SERVICES + "allow reviews -> catalog\n";
    assertThat(catalog(permissive).listeners()).isNotEqualTo(catalog(strict).listeners());
    assertThat(inboundRoutes(catalog(permissive)))
        .as("no `*` rule here, so the rules do not depend on the mode")
        .isEqualTo(inboundRoutes(catalog(strict)));
  }

  @Test
  void theRulesTravelOverRdsAsPerRouteConfigOfTheInboundVirtualHost()
      throws InvalidProtocolBufferException {
    ProxyResources catalog =
        catalog(
            STRICT_DENY
                + SERVICES
                + "allow reviews -> catalog\ndeny orders -> catalog DELETE\n"
                + "deny dry-run orders -> catalog POST\n");
    Listener inbound =
        catalog.listeners().stream()
            .filter(l -> l.getName().equals("catalog:inbound"))
            .findFirst()
            .orElseThrow();
    HttpConnectionManager hcm =
        inbound
            .getFilterChains(0)
            .getFilters(0)
            .getTypedConfig()
            .unpack(HttpConnectionManager.class);
    assertThat(hcm.hasRouteConfig()).isFalse();
    assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("catalog:inbound");
    assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
    assertThat(hcm.getHttpFiltersList())
        .extracting(HttpFilter::getName)
        .containsExactly("meshgate.rbac.deny", "meshgate.rbac.allow", "envoy.filters.http.router");

    // Base configs: the stat prefixes (Envoy keeps the filter's, whatever the route says), no
    // rules in the deny filter, deny-everything in the allow filter (fail closed).
    RBAC denyBase = hcm.getHttpFilters(0).getTypedConfig().unpack(RBAC.class);
    assertThat(denyBase.hasRules()).isFalse();
    assertThat(denyBase.hasShadowRules()).isFalse();
    assertThat(denyBase.getRulesStatPrefix()).isEqualTo("catalog_deny_");
    assertThat(denyBase.getShadowRulesStatPrefix()).isEqualTo("catalog_deny_");
    RBAC allowBase = hcm.getHttpFilters(1).getTypedConfig().unpack(RBAC.class);
    assertThat(allowBase.getRules().getAction()).isEqualTo(Action.ALLOW);
    assertThat(allowBase.getRules().getPoliciesMap()).isEmpty();
    assertThat(allowBase.getRulesStatPrefix()).isEqualTo("catalog_allow_");

    VirtualHost host = inboundRoutes(catalog).getVirtualHosts(0);
    assertThat(host.getTypedPerFilterConfigMap())
        .containsOnlyKeys("meshgate.rbac.deny", "meshgate.rbac.allow");
    RBAC deny =
        host.getTypedPerFilterConfigOrThrow("meshgate.rbac.deny")
            .unpack(RBACPerRoute.class)
            .getRbac();
    assertThat(deny.getRules().getAction()).isEqualTo(Action.DENY);
    assertThat(deny.getRules().getPoliciesMap()).containsOnlyKeys("orders -> catalog DELETE");
    assertThat(deny.getShadowRules().getPoliciesMap()).containsOnlyKeys("orders -> catalog POST");
    RBAC allow =
        host.getTypedPerFilterConfigOrThrow("meshgate.rbac.allow")
            .unpack(RBACPerRoute.class)
            .getRbac();
    assertThat(allow.getRules().getAction()).isEqualTo(Action.ALLOW);
    assertThat(allow.getRules().getPoliciesMap()).containsOnlyKeys("reviews -> catalog");
  }

  @Test
  void defaultAllowSwitchesTheAllowFilterOffAndNoDenyRuleSwitchesTheDenyFilterOff()
      throws InvalidProtocolBufferException {
    ProxyResources catalog = catalog("mesh {\n authz default allow\n}\n" + SERVICES);
    VirtualHost host = inboundRoutes(catalog).getVirtualHosts(0);
    // RBACPerRoute without `rbac`: the filter is disabled for the route.
    assertThat(
            host.getTypedPerFilterConfigOrThrow("meshgate.rbac.allow")
                .unpack(RBACPerRoute.class)
                .hasRbac())
        .isFalse();
    assertThat(
            host.getTypedPerFilterConfigOrThrow("meshgate.rbac.deny")
                .unpack(RBACPerRoute.class)
                .hasRbac())
        .isFalse();
  }
}
