package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.discovery.ServiceQuery;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ServiceQueriesTest {
  @Test
  void everySourceKindMapsToItsQuery() {
    var s =
        ServiceQueries.of(
            "web",
            new ServiceSource.Static(
                List.of(
                    new ServiceSource.StaticEndpoint(
                        "10.0.0.1", 80, new TreeMap<>(Map.of("zone", "a"))))));
    assertThat(s)
        .isInstanceOfSatisfying(
            ServiceQuery.Static.class,
            q -> assertThat(q.endpoints().getFirst().zone()).contains("a"));
    assertThat(ServiceQueries.of("web", new ServiceSource.Consul("web-svc")))
        .isEqualTo(new ServiceQuery.Consul("web-svc", Optional.empty(), Optional.empty()));
    assertThat(ServiceQueries.of("web", new ServiceSource.Kubernetes("shop", "web", "http")))
        .isEqualTo(new ServiceQuery.Kubernetes("shop", "web", "http"));
  }
}
