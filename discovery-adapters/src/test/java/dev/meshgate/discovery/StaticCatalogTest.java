package dev.meshgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StaticCatalogTest {

  private static Endpoint endpoint(String host, int port, String zone, Map<String, String> labels) {
    return new Endpoint(host, port, new TreeMap<>(labels), Optional.ofNullable(zone), true);
  }

  @Test
  void staticQueryIsAnsweredOnceBeforeSubscribeReturns() {
    var b = endpoint("127.0.0.2", 80, "b", Map.of("version", "v2"));
    var a = endpoint("127.0.0.1", 80, "a", Map.of("version", "v1"));
    List<List<Endpoint>> received = new ArrayList<>();
    try (var catalog = new StaticCatalog()) {
      Subscription subscription =
          catalog.subscribe(new ServiceQuery.Static(List.of(b, a)), received::add);
      assertThat(received).containsExactly(List.of(a, b));
      subscription.cancel();
      subscription.cancel();
    }
  }

  @Test
  void otherQueriesAreRejectedWithAClearMessage() {
    try (var catalog = new StaticCatalog()) {
      assertThatThrownBy(() ->
              catalog.subscribe(new ServiceQuery.Consul("catalog", Optional.empty()), e -> {}))
          .isInstanceOf(UnsupportedQueryException.class)
          .hasMessageContaining("Consul service \"catalog\"");
      assertThatThrownBy(() ->
              catalog.subscribe(new ServiceQuery.Kubernetes("shop", "catalog", "http"), e -> {}))
          .isInstanceOf(UnsupportedQueryException.class)
          .hasMessageContaining("shop/catalog");
    }
  }

  @Test
  void closedCatalogRefusesSubscriptions() {
    var catalog = new StaticCatalog();
    catalog.close();
    assertThatThrownBy(() -> catalog.subscribe(new ServiceQuery.Static(List.of()), e -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void selectorMatchesWhenEveryEntryIsALabel() {
    var e = endpoint("10.0.0.1", 8080, null, Map.of("version", "v1", "zone", "a"));
    assertThat(e.matches(Map.of())).isTrue();
    assertThat(e.matches(Map.of("version", "v1"))).isTrue();
    assertThat(e.matches(Map.of("version", "v1", "zone", "a"))).isTrue();
    assertThat(e.matches(Map.of("version", "v2"))).isFalse();
    assertThat(e.matches(Map.of("tier", "x"))).isFalse();
  }

  @Test
  void endpointValidatesItsFields() {
    assertThatThrownBy(() -> Endpoint.of("h", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.of(" ", 80)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Endpoint.of("h", 80).withHealthy(false).healthy()).isFalse();
  }
}
