package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.compiler.ir.SubsetIr;
import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Subscription;
import dev.meshgate.discovery.consul.ConsulCatalog;
import dev.meshgate.discovery.consul.ConsulSettings;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code check --catalog}'s comparison, with the IR built by hand (the compiler does not accept
 * consul sources yet) and spans found in the parsed text.
 */
class LiveCatalogCheckTest {
  static final String POLICY =
      """
      service catalog {
        source consul "catalog"
        subset v1 where version = "v1"
        subset canary where "tag:canary" = "true"
      }
      service orders {
        source consul "orderz"
      }
      """;

  static final Source SOURCE = new Source("shop.mesh", POLICY);

  static PolicyIr ir() {
    return new PolicyIr(
        List.of(
            new ServiceIr(
                "catalog",
                Protocol.HTTP,
                new ServiceSource.Consul("catalog"),
                List.of(
                    new SubsetIr("v1", new TreeMap<>(Map.of("version", "v1"))),
                    new SubsetIr("canary", new TreeMap<>(Map.of("tag:canary", "true"))))),
            new ServiceIr("orders", Protocol.HTTP, new ServiceSource.Consul("orderz"), List.of())),
        List.of());
  }

  /** Knows catalog (two instances, no canary); orderz has none. */
  static final class FakeConsul implements ServiceCatalog {
    @Override
    public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
      var c = (ServiceQuery.Consul) query;
      listener.onEndpoints(
          c.service().equals("catalog")
              ? List.of(
                  new Endpoint(
                      "10.0.0.1",
                      80,
                      new TreeMap<>(Map.of("version", "v1")),
                      Optional.empty(),
                      true),
                  new Endpoint(
                      "10.0.0.2",
                      80,
                      new TreeMap<>(Map.of("version", "v2")),
                      Optional.empty(),
                      true))
              : List.of());
      return () -> {};
    }

    @Override
    public void close() {}
  }

  @Test
  void reportsMissingServicesAndEmptySubsetsWithSpans() {
    List<Diagnostic> diagnostics =
        LiveCatalogCheck.check(List.of(SOURCE), ir(), new FakeConsul(), Duration.ofSeconds(2));
    assertThat(diagnostics).extracting(Diagnostic::code).containsExactly("MG602", "MG601");
    assertThat(diagnostics).allMatch(d -> !d.isError());
    Diagnostic canary = diagnostics.get(0);
    assertThat(canary.span().toString()).isEqualTo("shop.mesh:4:3");
    assertThat(canary.message())
        .contains(
            "subset \"canary\"", "none has tag:canary=\"true\"", "version=\"v1\", version=\"v2\"");
    Diagnostic orders = diagnostics.get(1);
    assertThat(orders.span().toString()).isEqualTo("shop.mesh:7:3");
    assertThat(orders.message()).contains("service \"orders\"", "consul \"orderz\"");
    assertThat(orders.render()).contains("source consul \"orderz\"").contains("^^^");
  }

  @Test
  void unreachableConsulIsAFailureNotADiagnostic() throws Exception {
    int port;
    try (var s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (var consul =
        ConsulCatalog.connect(
            ConsulSettings.of("127.0.0.1:" + port).withInitialAnswerWait(Duration.ofSeconds(2)))) {
      assertThatThrownBy(
              () -> LiveCatalogCheck.check(List.of(SOURCE), ir(), consul, Duration.ofSeconds(3)))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("cannot check against the catalog")
          .hasMessageContaining("consul:catalog");
    }
  }
}
