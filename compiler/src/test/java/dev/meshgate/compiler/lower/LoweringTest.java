package dev.meshgate.compiler.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.check.PolicyChecker;
import dev.meshgate.compiler.ir.ClusterIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.IrYaml;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.parse.PolicyParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoweringTest {

  private static PolicyIr lower(String... texts) {
    var files = new java.util.ArrayList<dev.meshgate.compiler.ast.PolicyFile>();
    for (int i = 0; i < texts.length; i++) {
      var parsed = PolicyParser.parse(new Source("f" + i + ".mesh", texts[i]));
      assertThat(parsed.diagnostics()).isEmpty();
      files.add(parsed.file());
    }
    assertThat(PolicyChecker.check(files)).noneMatch(d -> d.isError());
    return Lowering.lower(files);
  }

  private static final String SERVICES =
      """
      service orders { source static 127.0.0.1:9201  protocol grpc }
      service catalog {
        source static 127.0.0.1:9101 labels version=v1, 127.0.0.1:9102 labels version=v2
        subset v2 where version = "v2"
        subset v1 where version = "v1"
      }
      """;

  @Test
  void appliesDefaultsAndSortsWhatHasNoMeaningfulOrder() {
    PolicyIr ir =
        lower(
            SERVICES,
            """
            gateway zeta { listen :9000  host "*" { route /** { respond 200 } } }
            gateway edge {
              listen 127.0.0.1:8081
              listen :8080
              host "*" {
                route /z/** { to orders retry 2 }
                route /a { to catalog.v2 30%, catalog.v1 70% timeout 1m }
              }
            }
            """);

    assertThat(ir.services()).extracting(ServiceIr::name).containsExactly("catalog", "orders");
    assertThat(ir.services().get(0).subsets())
        .extracting(s -> s.name())
        .containsExactly("v1", "v2");
    assertThat(ir.gateways()).extracting(GatewayIr::name).containsExactly("edge", "zeta");
    GatewayIr edge = ir.gateways().get(0);
    assertThat(edge.listeners())
        .containsExactly(new ListenerIr("0.0.0.0", 8080), new ListenerIr("127.0.0.1", 8081));
    assertThat(edge.hosts().get(0).domains()).containsExactly("*");
    assertThat(edge.clusters())
        .containsExactly(
            new ClusterIr(
                "catalog.v1",
                "catalog",
                dev.meshgate.compiler.ir.Protocol.HTTP,
                new java.util.TreeMap<>(Map.of("version", "v1"))),
            new ClusterIr(
                "catalog.v2",
                "catalog",
                dev.meshgate.compiler.ir.Protocol.HTTP,
                new java.util.TreeMap<>(Map.of("version", "v2"))),
            new ClusterIr(
                "orders",
                "orders",
                dev.meshgate.compiler.ir.Protocol.GRPC,
                new java.util.TreeMap<>()));

    RouteIr first = edge.hosts().get(0).routes().get(0);
    assertThat(first.name()).isEqualTo("*/1");
    assertThat(first.origin()).isEqualTo("f1.mesh:6:5");
    assertThat(first.match().path()).isEqualTo(new PathMatchIr.Prefix("/z"));
    var forward = (RouteActionIr.Forward) first.action();
    assertThat(forward.targets())
        .containsExactly(new RouteActionIr.WeightedClusterIr("orders", 100));
    assertThat(forward.retry())
        .contains(
            new RouteActionIr.RetryIr(
                2, List.of("5xx", "reset", "connect-failure"), Optional.empty()));
    assertThat(forward.timeout()).isEmpty();

    var second = (RouteActionIr.Forward) edge.hosts().get(0).routes().get(1).action();
    assertThat(second.targets())
        .containsExactly(
            new RouteActionIr.WeightedClusterIr("catalog.v2", 30),
            new RouteActionIr.WeightedClusterIr("catalog.v1", 70));
    assertThat(second.timeout()).contains(Duration.ofMinutes(1));
    assertThat(edge.hosts().get(0).routes().get(1).match().path())
        .isEqualTo(new PathMatchIr.Exact("/a"));
  }

  @Test
  void respondWithoutBodyHasAnEmptyBody() {
    PolicyIr ir = lower("gateway edge { listen :80 host \"*\" { route /x { respond 204 } } }");

    assertThat(ir.gateways().get(0).hosts().get(0).routes().get(0).action())
        .isEqualTo(new RouteActionIr.Respond(204, ""));
    assertThat(ir.gateways().get(0).clusters()).isEmpty();
  }

  @Test
  void yamlIsDeterministicAndWritesDurationsAsInPolicies() {
    String policy =
        SERVICES
            + "gateway edge { listen :80 host \"*\" { route /** { to orders timeout 1500ms retry 1 per-try 2s } } }";

    String yaml = IrYaml.render(lower(policy));

    assertThat(yaml).isEqualTo(IrYaml.render(lower(policy)));
    assertThat(yaml).contains("timeout: 1500ms").contains("per-try: 2s").contains("prefix: /\n");
    assertThat(IrYaml.duration(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(IrYaml.duration(Duration.ofMillis(250))).isEqualTo("250ms");
  }
}
