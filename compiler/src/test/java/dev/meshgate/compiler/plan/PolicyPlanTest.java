package dev.meshgate.compiler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.Source;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyPlanTest {

  private static final String BASE =
      """
      service catalog {
        source static 127.0.0.1:9101 labels version=v1, 127.0.0.1:9102 labels version=v2
        subset v1 where version = "v1"
        subset v2 where version = "v2"
      }
      service orders {
        source static 127.0.0.1:9201
      }
      gateway edge {
        listen 127.0.0.1:10000
        host "api.example" {
          route /healthz { respond 200 "ok" }
          route GET /catalog/** { to catalog.v1 80%, catalog.v2 20% }
          route /orders/** {
            to orders
            timeout 2s
          }
          route /** { respond 404 "no route" }
        }
      }
      """;

  private static CompiledPolicy compile(String text) {
    Compilation compilation = Compiler.compile(List.of(new Source("shop.mesh", text)));
    assertThat(compilation.hasErrors()).as("%s", compilation.diagnostics()).isFalse();
    return compilation.policy().orElseThrow();
  }

  private static GroupPlan edge(Plan plan) {
    return plan.groups().stream()
        .filter(g -> g.group().equals(ProxyGroup.gateway("edge")))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theSamePolicyHasNoChanges() {
    Plan plan = PolicyPlan.diff(compile(BASE), compile(BASE));
    assertThat(plan.hasChanges()).isFalse();
    assertThat(plan.changedGroups()).isEmpty();
    assertThat(plan.groups()).extracting(GroupPlan::change).containsOnly(Change.UNCHANGED);
  }

  @Test
  void aChangedTimeoutIsOneFieldOfTheRouteConfiguration() {
    Plan plan = PolicyPlan.diff(compile(BASE), compile(BASE.replace("timeout 2s", "timeout 1s")));
    GroupPlan edge = edge(plan);
    assertThat(edge.change()).isEqualTo(Change.CHANGED);
    assertThat(edge.resources()).hasSize(1);
    ResourceChange route = edge.resources().getFirst();
    assertThat(route.kind()).isEqualTo(ResourceKind.ROUTE);
    assertThat(route.name()).isEqualTo("edge");
    assertThat(route.change()).isEqualTo(Change.CHANGED);
    assertThat(route.fields())
        .containsExactly(
            new FieldChange(
                "virtual_hosts[api.example].routes[2].route.timeout",
                Change.CHANGED,
                Optional.of("\"2s\""),
                Optional.of("\"1s\"")));
  }

  @Test
  void resilienceChangesAreMarkedAndOtherChangesAreNot() {
    String base =
        BASE.replace(
            "source static 127.0.0.1:9201\n",
            "source static 127.0.0.1:9201\n  circuit-breaker { max-connections 100 }\n");
    String after =
        base.replace("max-connections 100", "max-connections 50")
            .replace(
                "source static 127.0.0.1:9201\n",
                "source static 127.0.0.1:9201\n"
                    + "  outlier-detection { consecutive-5xx 3 }\n"
                    + "  health-check http \"/healthz\"\n"
                    + "  panic-threshold 30%\n")
            .replace("timeout 2s", "timeout 1s\n        retry 2 on 5xx\n        fault abort 503 1%")
            .replace(
                "route /healthz { respond 200 \"ok\" }", "route /healthz { respond 204 \"\" }");
    GroupPlan edge = edge(PolicyPlan.diff(compile(base), compile(after)));
    List<String> marked =
        edge.resources().stream()
            .flatMap(r -> r.fields().stream())
            .filter(ResilienceRelevance::of)
            .map(FieldChange::path)
            .toList();
    assertThat(marked)
        .anySatisfy(p -> assertThat(p).contains("circuit_breakers"))
        .anySatisfy(p -> assertThat(p).contains("outlier_detection"))
        .anySatisfy(p -> assertThat(p).contains("health_checks"))
        .anySatisfy(p -> assertThat(p).contains("common_lb_config"))
        .anySatisfy(p -> assertThat(p).endsWith("route.timeout"))
        .anySatisfy(p -> assertThat(p).contains("retry_policy"))
        .anySatisfy(p -> assertThat(p).contains("envoy.filters.http.fault"));
    List<FieldChange> unmarked =
        edge.resources().stream()
            .flatMap(r -> r.fields().stream())
            .filter(f -> !ResilienceRelevance.of(f))
            .toList();
    // The changed respond is no resilience change, however it is addressed.
    assertThat(unmarked).extracting(FieldChange::path).anyMatch(p -> p.contains("direct_response"));
    assertThat(unmarked).noneMatch(f -> f.path().contains("circuit_breakers"));
  }

  /**
   * A subset's and a call's cluster settings (issue 14) change only their own cluster, and the
   * change is marked like the service's.
   */
  @Test
  void subsetAndCallOverridesAreMarkedOnTheirOwnClusterOnly() {
    String base =
        BASE.replace(
                "subset v2 where version = \"v2\"\n",
                "subset v2 where version = \"v2\" { circuit-breaker { max-requests 10 } }\n")
            + """
            service shop {
              source static 127.0.0.1:15301
              sidecar { inbound :15301 app 127.0.0.1:9301 }
            }
            call shop -> catalog { circuit-breaker { max-requests 20 } }
            """;
    String after =
        base.replace("max-requests 10", "max-requests 5")
            .replace("max-requests 20", "max-requests 40");
    Plan plan = PolicyPlan.diff(compile(base), compile(after));
    GroupPlan edge = edge(plan);
    assertThat(edge.resources())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("catalog.v2");
              assertThat(ResilienceRelevance.of(r)).isTrue();
              assertThat(r.fields())
                  .singleElement()
                  .satisfies(
                      f -> {
                        assertThat(f.path())
                            .isEqualTo("circuit_breakers.thresholds[0].max_requests");
                        assertThat(ResilienceRelevance.of(f)).isTrue();
                      });
            });
    GroupPlan shop =
        plan.groups().stream()
            .filter(g -> g.group().equals(ProxyGroup.sidecar("shop")))
            .findFirst()
            .orElseThrow();
    assertThat(shop.resources())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("catalog");
              assertThat(r.fields())
                  .singleElement()
                  .satisfies(f -> assertThat(ResilienceRelevance.of(f)).isTrue());
            });
  }

  /** local rate limits (issue 13): a changed limit is marked like a fault. */
  @Test
  void aChangedRateLimitIsMarked() {
    String before = BASE.replace("timeout 2s", "timeout 2s\n        rate-limit 100 per 1s");
    String after = BASE.replace("timeout 2s", "timeout 2s\n        rate-limit 10 per 1s");
    GroupPlan edge = edge(PolicyPlan.diff(compile(before), compile(after)));
    assertThat(
            edge.resources().stream()
                .flatMap(r -> r.fields().stream())
                .filter(ResilienceRelevance::of)
                .map(FieldChange::path)
                .toList())
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p).contains("envoy.filters.http.local_ratelimit"));
  }

  @Test
  void anAddedClusterIsResilienceRelevantOnlyWithResilienceSettings() {
    FieldChange connectTimeout =
        new FieldChange(
            "virtual_hosts[timeout.example].routes[0].match.prefix",
            Change.CHANGED,
            Optional.of("\"/a\""),
            Optional.of("\"/b\""));
    assertThat(ResilienceRelevance.of(connectTimeout)).as("a host named timeout.*").isFalse();
    String plain = "{\"name\":\"orders\",\"connect_timeout\":\"5s\"}";
    String broken = "{\"name\":\"orders\",\"circuit_breakers\":{\"thresholds\":[{}]}}";
    assertThat(
            ResilienceRelevance.of(
                new ResourceChange(
                    ResourceKind.CLUSTER,
                    "orders",
                    Change.ADDED,
                    List.of(),
                    Optional.empty(),
                    Optional.of(plain))))
        .isFalse();
    assertThat(
            ResilienceRelevance.of(
                new ResourceChange(
                    ResourceKind.CLUSTER,
                    "orders",
                    Change.ADDED,
                    List.of(),
                    Optional.empty(),
                    Optional.of(broken))))
        .isTrue();
    assertThat(
            ResilienceRelevance.of(
                new FieldChange(
                    "virtual_hosts[a].routes[0]",
                    Change.ADDED,
                    Optional.empty(),
                    Optional.of("{\"route\":{\"cluster\":\"a\",\"timeout\":\"0s\"}}"))))
        .as("an added route with no timeout of its own")
        .isFalse();
  }

  @Test
  void anInsertedRouteIsOneAdditionNotARenumberingOfEveryLaterRoute() {
    String after = BASE.replace("route /** {", "route /search { to catalog }\n    route /** {");
    ResourceChange route =
        edge(PolicyPlan.diff(compile(BASE), compile(after)))
            .resources(ResourceKind.ROUTE)
            .getFirst();
    assertThat(route.fields()).hasSize(1);
    FieldChange added = route.fields().getFirst();
    assertThat(added.path()).isEqualTo("virtual_hosts[api.example].routes[3]");
    assertThat(added.change()).isEqualTo(Change.ADDED);
    assertThat(added.before()).isEmpty();
    assertThat(added.after().orElseThrow())
        .contains("\"path\":\"/search\"")
        .contains("\"cluster\":\"catalog\"");
    // The new route sends to the catalog cluster, which the gateway did not have before.
    assertThat(edge(PolicyPlan.diff(compile(BASE), compile(after))).resources(ResourceKind.CLUSTER))
        .extracting(ResourceChange::name, ResourceChange::change)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("catalog", Change.ADDED));
  }

  @Test
  void aChangedSplitIsKeyedByClusterName() {
    Plan plan =
        PolicyPlan.diff(
            compile(BASE),
            compile(
                BASE.replace("catalog.v1 80%, catalog.v2 20%", "catalog.v1 50%, catalog.v2 50%")));
    assertThat(edge(plan).resources().getFirst().fields())
        .extracting(FieldChange::path, FieldChange::before, FieldChange::after)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "virtual_hosts[api.example].routes[1].route.weighted_clusters.clusters[catalog.v1].weight",
                Optional.of("80"),
                Optional.of("50")),
            org.assertj.core.groups.Tuple.tuple(
                "virtual_hosts[api.example].routes[1].route.weighted_clusters.clusters[catalog.v2].weight",
                Optional.of("20"),
                Optional.of("50")));
  }

  @Test
  void listenersClustersAndEndpointsAddedRemovedAndChanged() {
    String after =
        BASE.replace("listen 127.0.0.1:10000", "listen 127.0.0.1:10001")
            .replace("127.0.0.1:9201", "127.0.0.1:9202")
            .replace(
                "route GET /catalog/** { to catalog.v1 80%, catalog.v2 20% }",
                "route GET /catalog/** { to catalog.v1 }");
    GroupPlan edge = edge(PolicyPlan.diff(compile(BASE), compile(after)));
    assertThat(edge.resources())
        .extracting(ResourceChange::kind, ResourceChange::name, ResourceChange::change)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ResourceKind.LISTENER, "edge:10000", Change.REMOVED),
            org.assertj.core.groups.Tuple.tuple(ResourceKind.LISTENER, "edge:10001", Change.ADDED),
            org.assertj.core.groups.Tuple.tuple(ResourceKind.ROUTE, "edge", Change.CHANGED),
            org.assertj.core.groups.Tuple.tuple(ResourceKind.CLUSTER, "catalog.v2", Change.REMOVED),
            org.assertj.core.groups.Tuple.tuple(
                ResourceKind.ENDPOINTS, "catalog.v2", Change.REMOVED),
            org.assertj.core.groups.Tuple.tuple(ResourceKind.ENDPOINTS, "orders", Change.CHANGED));
    assertThat(edge.resources(ResourceKind.ENDPOINTS).get(1).fields())
        .containsExactly(
            new FieldChange(
                "static[0]",
                Change.CHANGED,
                Optional.of("\"127.0.0.1:9201\""),
                Optional.of("\"127.0.0.1:9202\"")));
    assertThat(edge.resources(ResourceKind.LISTENER).get(1).after())
        .hasValueSatisfying(json -> assertThat(json).contains("10001"));
    assertThat(edge.resources(ResourceKind.LISTENER).get(0).fields()).isEmpty();
  }

  @Test
  void groupsAddedAndRemovedListEveryResource() {
    String admin =
        """
        gateway admin {
          listen 127.0.0.1:10005
          host "*" { route /** { to orders } }
        }
        """;
    Plan added = PolicyPlan.diff(compile(BASE), compile(BASE + admin));
    assertThat(added.changedGroups())
        .extracting(GroupPlan::group, GroupPlan::change)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ProxyGroup.gateway("admin"), Change.ADDED));
    assertThat(added.changedGroups().getFirst().resources())
        .extracting(ResourceChange::kind, ResourceChange::change)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ResourceKind.LISTENER, Change.ADDED),
            org.assertj.core.groups.Tuple.tuple(ResourceKind.ROUTE, Change.ADDED),
            org.assertj.core.groups.Tuple.tuple(ResourceKind.CLUSTER, Change.ADDED),
            org.assertj.core.groups.Tuple.tuple(ResourceKind.ENDPOINTS, Change.ADDED));
    assertThat(added.groups())
        .extracting(GroupPlan::group)
        .containsExactly(ProxyGroup.gateway("admin"), ProxyGroup.gateway("edge"));

    Plan removed = PolicyPlan.diff(compile(BASE + admin), compile(BASE));
    assertThat(removed.changedGroups())
        .extracting(GroupPlan::change)
        .containsExactly(Change.REMOVED);
    assertThat(removed.count(Change.REMOVED)).isEqualTo(4);
  }

  @Test
  void aFirstDeploymentAddsEverything() {
    Plan plan = PolicyPlan.diff(List.of(), compile(BASE).groups());
    assertThat(plan.changedGroups()).extracting(GroupPlan::change).containsExactly(Change.ADDED);
    assertThat(plan.count(Change.ADDED)).isEqualTo(edge(plan).resources().size());
  }

  @Test
  void meshIdentityChangesShowAsSecrets() {
    String mesh =
        """
        mesh { trust-domain "shop.example" }
        service catalog {
          source static 127.0.0.1:9101
          sidecar { inbound :15006  app 127.0.0.1:9101 }
        }
        """;
    // Whatever the sidecar's resources are, its identity secrets follow the trust domain.
    CompiledPolicy before = compile(mesh);
    Plan plan = PolicyPlan.diff(before, compile(mesh.replace("shop.example", "corp.example")));
    GroupPlan sidecar =
        plan.groups().stream()
            .filter(g -> g.group().equals(ProxyGroup.sidecar("catalog")))
            .findFirst()
            .orElseThrow();
    assertThat(sidecar.resources(ResourceKind.SECRET))
        .extracting(ResourceChange::name)
        .containsExactly("meshgate.identity", "meshgate.trust-bundle");
    assertThat(sidecar.resources(ResourceKind.SECRET).get(1).fields())
        .containsExactly(
            new FieldChange(
                "trust_domain",
                Change.CHANGED,
                Optional.of("\"shop.example\""),
                Optional.of("\"corp.example\"")));
  }
}
