package dev.meshgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompositeCatalogTest {

  /** Records what it was asked and whether it was closed. */
  static final class Probe implements ServiceCatalog {
    final List<ServiceQuery> asked = new ArrayList<>();
    boolean closed;

    @Override
    public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
      asked.add(query);
      return () -> {};
    }

    @Override
    public List<Staleness> staleness() {
      return List.of(new Staleness("probe", Instant.EPOCH, "down", 2));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void eachKindGoesToItsCatalogAndCloseClosesAll() {
    var consul = new Probe();
    var kubernetes = new Probe();
    var composite =
        new CompositeCatalog(new StaticCatalog(), Optional.of(consul), Optional.of(kubernetes));
    List<List<Endpoint>> got = new ArrayList<>();
    composite.subscribe(new ServiceQuery.Static(List.of(Endpoint.of("h", 1))), got::add);
    composite.subscribe(new ServiceQuery.Consul("web", Optional.empty()), e -> {});
    composite.subscribe(new ServiceQuery.Kubernetes("shop", "web", "http"), e -> {});
    assertThat(got).hasSize(1);
    assertThat(consul.asked)
        .containsExactly(new ServiceQuery.Consul("web", Optional.empty(), Optional.empty()));
    assertThat(kubernetes.asked)
        .containsExactly(new ServiceQuery.Kubernetes("shop", "web", "http"));
    assertThat(composite.staleness()).hasSize(2);
    composite.close();
    assertThat(consul.closed).isTrue();
    assertThat(kubernetes.closed).isTrue();
  }

  @Test
  void unconfiguredAdaptersSayWhichOptionEnablesThem() {
    try (var composite = CompositeCatalog.staticOnly()) {
      assertThatThrownBy(
              () -> composite.subscribe(new ServiceQuery.Consul("web", Optional.empty()), e -> {}))
          .isInstanceOf(UnsupportedQueryException.class)
          .hasMessageContaining("--consul");
      assertThatThrownBy(
              () -> composite.subscribe(new ServiceQuery.Kubernetes("shop", "web", "80"), e -> {}))
          .isInstanceOf(UnsupportedQueryException.class)
          .hasMessageContaining("--kubernetes");
      assertThat(composite.staleness()).isEmpty();
    }
  }
}
