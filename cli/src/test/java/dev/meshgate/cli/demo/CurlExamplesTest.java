package dev.meshgate.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteActionIr.WeightedClusterIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.RouteMatchIr;
import dev.meshgate.compiler.ir.ValueMatchIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CurlExamplesTest {

  @Test
  void oneLinePerListenerAndReachableRoute() {
    var forward =
        new RouteActionIr.Forward(
            List.of(
                new WeightedClusterIr("catalog.v1", 80), new WeightedClusterIr("catalog.v2", 20)),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    var canary =
        new RouteActionIr.Forward(
            List.of(new WeightedClusterIr("catalog.v2", 100)),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    VirtualHostIr api =
        new VirtualHostIr(
            "api.example",
            List.of("api.example"),
            List.of(
                route(
                    new PathMatchIr.Exact("/healthz"),
                    List.of(),
                    List.of(),
                    List.of(),
                    new RouteActionIr.Respond(200, "ok")),
                route(
                    new PathMatchIr.Prefix("/catalog"),
                    List.of(),
                    List.of(new ValueMatchIr("x-canary", ValueMatchIr.Kind.EXACT, "true")),
                    List.of(),
                    canary),
                route(
                    new PathMatchIr.Prefix("/catalog"),
                    List.of("GET"),
                    List.of(),
                    List.of(),
                    forward),
                route(
                    new PathMatchIr.Regex("^/v[0-9]+$"), List.of(), List.of(), List.of(), forward),
                route(
                    new PathMatchIr.Exact("/search"),
                    List.of(),
                    List.of(),
                    List.of(new ValueMatchIr("q", ValueMatchIr.Kind.REGEX, "^[a-z]+$")),
                    forward),
                route(
                    new PathMatchIr.Exact("/find"),
                    List.of("POST"),
                    List.of(),
                    List.of(new ValueMatchIr("q", ValueMatchIr.Kind.EXACT, "a b")),
                    forward),
                route(
                    new PathMatchIr.Prefix("/old"),
                    List.of(),
                    List.of(),
                    List.of(),
                    new RouteActionIr.Redirect(301, "/new/"))));
    VirtualHostIr any =
        new VirtualHostIr(
            "*",
            List.of("*"),
            List.of(route(new PathMatchIr.Prefix("/"), List.of(), List.of(), List.of(), canary)));
    PolicyIr ir =
        new PolicyIr(
            List.of(),
            List.of(
                new GatewayIr(
                    "edge",
                    List.of(new ListenerIr("0.0.0.0", 8080)),
                    List.of(api, any),
                    List.of())));

    assertThat(CurlExamples.lines(ir))
        .containsExactly(
            "curl -s -H 'Host: api.example' http://127.0.0.1:8080/healthz                             # → 200 \"ok\" from the gateway itself",
            "curl -s -H 'Host: api.example' -H 'x-canary: true' http://127.0.0.1:8080/catalog/items   # → catalog.v2",
            "curl -s -H 'Host: api.example' http://127.0.0.1:8080/catalog/items                       # → catalog.v1 80%, catalog.v2 20%",
            "curl -s -X POST -H 'Host: api.example' 'http://127.0.0.1:8080/find?q=a+b'                # → catalog.v1 80%, catalog.v2 20%",
            "curl -si -H 'Host: api.example' http://127.0.0.1:8080/old/items                          # → redirect 301 /new/",
            "curl -s http://127.0.0.1:8080/                                                           # → catalog.v2");
  }

  @Test
  void hostsAndAddresses() {
    assertThat(CurlExamples.hostHeader("*")).isEmpty();
    assertThat(CurlExamples.hostHeader("*.shop.example")).contains("demo.shop.example");
    assertThat(CurlExamples.connectAddress("::")).isEqualTo("[::1]");
    assertThat(CurlExamples.connectAddress("127.0.0.2")).isEqualTo("127.0.0.2");
    assertThat(CurlExamples.shellQuote("it's")).isEqualTo("'it'\\''s'");
  }

  private static RouteIr route(
      PathMatchIr path,
      List<String> methods,
      List<ValueMatchIr> headers,
      List<ValueMatchIr> queries,
      RouteActionIr action) {
    return new RouteIr(
        "r", "t.mesh:1:1", new RouteMatchIr(path, methods, headers, queries), action, List.of());
  }

  @Test
  void theMeshExampleShowsAnAllowedCallAndARefusedOneAsTheReadmeDoes() throws Exception {
    java.nio.file.Path mesh =
        java.nio.file.Path.of(System.getProperty("meshgate.project.root", ".."), "examples/mesh");
    var compilation =
        dev.meshgate.compiler.Compiler.compile(
            dev.meshgate.compiler.PolicySources.load(java.util.List.of(mesh)));
    java.util.List<String> lines =
        CurlExamples.sidecarLines(compilation.policy().orElseThrow().ir());
    assertThat(lines)
        .anySatisfy(l ->
            assertThat(l)
                .startsWith("curl -s -X POST -H 'Host: catalog' http://127.0.0.1:15001/items")
                .endsWith("# 403: no allow rule lets orders POST here"));
    String readme =
        java.nio.file.Files.readString(mesh.getParent().getParent().resolve("README.md"));
    assertThat(readme)
        .contains(
            "curl -s -X POST -H 'Host: catalog' http://127.0.0.1:15001/items # 403: no allow rule"
                + " lets orders POST here");
  }
}
