package dev.meshgate.compiler.testing;

import dev.meshgate.compiler.ir.ClusterIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.HeaderMutationIr;
import dev.meshgate.compiler.ir.HeaderMutationIr.Direction;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteActionIr.Forward;
import dev.meshgate.compiler.ir.RouteActionIr.PrefixRewriteIr;
import dev.meshgate.compiler.ir.RouteActionIr.RetryIr;
import dev.meshgate.compiler.ir.RouteActionIr.WeightedClusterIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.RouteMatchIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.compiler.ir.ServiceSource.StaticEndpoint;
import dev.meshgate.compiler.ir.SubsetIr;
import dev.meshgate.compiler.ir.ValueMatchIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hand-built IR covering every v1 feature, as lowering would produce it: tests translation without
 * depending on the parser. Shared test support: the compiler's translation tests use it, and
 * examples' {@code TranslationEnvoyTest} (through this module's test-jar) validates its translation
 * with a real Envoy.
 */
public final class HandBuiltIr {
  private HandBuiltIr() {}

  public static RouteMatchIr path(PathMatchIr path) {
    return new RouteMatchIr(path, List.of(), List.of(), List.of());
  }

  public static Forward to(String cluster) {
    return new Forward(
        List.of(new WeightedClusterIr(cluster, 100)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public static RouteIr route(
      String name, RouteMatchIr match, RouteActionIr action, HeaderMutationIr... mutations) {
    return new RouteIr(name, "test.mesh:1:1", match, action, List.of(mutations));
  }

  public static TreeMap<String, String> labels(String... keyValues) {
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  /** Every v1 feature in one policy: two gateways, so group sorting shows too. */
  public static PolicyIr allFeatures() {
    ServiceIr catalog =
        new ServiceIr(
            "catalog",
            Protocol.HTTP,
            new ServiceSource.Static(
                List.of(
                    new StaticEndpoint("127.0.0.1", 9101, labels("version", "v1", "zone", "a")),
                    new StaticEndpoint("127.0.0.1", 9102, labels("version", "v2")))),
            List.of(
                new SubsetIr("v1", labels("version", "v1")),
                new SubsetIr("v2", labels("version", "v2"))));
    ServiceIr grpc =
        new ServiceIr(
            "pricing",
            Protocol.GRPC,
            new ServiceSource.Static(List.of(new StaticEndpoint("127.0.0.1", 9201, labels()))),
            List.of());
    List<ClusterIr> clusters =
        List.of(
            new ClusterIr("catalog", "catalog", Protocol.HTTP, labels()),
            new ClusterIr("catalog.v1", "catalog", Protocol.HTTP, labels("version", "v1")),
            new ClusterIr("catalog.v2", "catalog", Protocol.HTTP, labels("version", "v2")),
            new ClusterIr("pricing", "pricing", Protocol.GRPC, labels()));
    List<RouteIr> routes =
        List.of(
            route(
                "api.shop.example/0-catalog",
                new RouteMatchIr(
                    new PathMatchIr.Prefix("/catalog"), List.of("GET"), List.of(), List.of()),
                new Forward(
                    List.of(
                        new WeightedClusterIr("catalog.v1", 90),
                        new WeightedClusterIr("catalog.v2", 10)),
                    Optional.of(Duration.ofSeconds(2)),
                    Optional.of(
                        new RetryIr(
                            3,
                            List.of("5xx", "reset", "connect-failure"),
                            Optional.of(Duration.ofMillis(500)))),
                    Optional.of(new PrefixRewriteIr("/catalog/", "/"))),
                new HeaderMutationIr.Set(Direction.REQUEST, "x-via", "edge"),
                new HeaderMutationIr.Set(Direction.RESPONSE, "X-Served-By", "meshgate"),
                new HeaderMutationIr.Remove(Direction.REQUEST, "x-debug"),
                new HeaderMutationIr.Remove(Direction.RESPONSE, "server")),
            route(
                "api.shop.example/1-orders",
                new RouteMatchIr(
                    new PathMatchIr.Prefix("/orders"),
                    List.of("GET", "POST"),
                    List.of(new ValueMatchIr("x-canary", ValueMatchIr.Kind.EXACT, "true")),
                    List.of()),
                to("catalog.v2")),
            route(
                "api.shop.example/2-search",
                new RouteMatchIr(
                    new PathMatchIr.Exact("/search"),
                    List.of(),
                    List.of(new ValueMatchIr("x-beta", ValueMatchIr.Kind.REGEX, "^[01]$")),
                    List.of(
                        new ValueMatchIr("q", ValueMatchIr.Kind.REGEX, "^[a-z]+$"),
                        new ValueMatchIr("lang", ValueMatchIr.Kind.EXACT, "en"))),
                to("catalog")),
            route(
                "api.shop.example/3-items",
                path(new PathMatchIr.Regex("^/v[0-9]+/items$")),
                to("pricing")),
            route(
                "api.shop.example/4-old",
                path(new PathMatchIr.Prefix("/old")),
                new RouteActionIr.Redirect(301, "/new/")),
            route(
                "api.shop.example/5-moved",
                path(new PathMatchIr.Exact("/moved")),
                new RouteActionIr.Redirect(308, "https://www.shop.example:8443/there?x=1")),
            route(
                "api.shop.example/6-healthz",
                path(new PathMatchIr.Exact("/healthz")),
                new RouteActionIr.Respond(200, "ok")),
            route(
                "api.shop.example/7-gone",
                path(new PathMatchIr.Exact("/gone")),
                new RouteActionIr.Respond(410, "")),
            route("api.shop.example/8-all", path(new PathMatchIr.Prefix("/")), to("catalog")));
    GatewayIr edge =
        new GatewayIr(
            "edge",
            List.of(new ListenerIr("0.0.0.0", 8080), new ListenerIr("127.0.0.1", 8081)),
            List.of(
                new VirtualHostIr("api.shop.example", List.of("api.shop.example"), routes),
                new VirtualHostIr(
                    "*",
                    List.of("*"),
                    List.of(route("*/0-all", path(new PathMatchIr.Prefix("/")), to("catalog"))))),
            clusters);
    GatewayIr admin =
        new GatewayIr(
            "admin",
            List.of(new ListenerIr("127.0.0.1", 9000)),
            List.of(
                new VirtualHostIr(
                    "*",
                    List.of("*"),
                    List.of(
                        route("*/0-all", path(new PathMatchIr.Prefix("/")), to("catalog.v1"))))),
            List.of(
                new ClusterIr("catalog.v1", "catalog", Protocol.HTTP, labels("version", "v1"))));
    return new PolicyIr(List.of(catalog, grpc), List.of(edge, admin));
  }
}
