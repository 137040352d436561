package dev.meshgate.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.UnsupportedQueryException;
import dev.meshgate.discovery.testing.ConsulDevAgent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the catalog does without any Consul: no Consul binary needed. */
class ConsulUnreachableTest {

  @Test
  void unreachableConsulReportsAnErrorAndStalenessButNeverAnEmptyList() throws Exception {
    int port = ConsulDevAgent.freePorts(1)[0]; // nothing listens there
    var settings =
        ConsulSettings.of("127.0.0.1:" + port)
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
            // Long, so that the bound below tells "returned early" from "waited it out" even
            // on a loaded machine (a 2 s wait made the bound flaky).
            .withInitialAnswerWait(Duration.ofSeconds(30));
    var query = new ServiceQuery.Consul("catalog", Optional.empty());
    try (var catalog = ConsulCatalog.connect(settings)) {
      var recorder = new Recorder();
      long start = System.nanoTime();
      var subscription = catalog.subscribe(query, recorder);
      // An agent that is down does not hold subscribe() for the whole initial wait.
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(settings.initialAnswerWait());
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (recorder.errors.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(recorder.errors).hasSize(1);
      assertThat(recorder.errors.getFirst())
          .isInstanceOf(ConsulCatalog.ConsulUnavailableException.class)
          .hasMessageContaining("consul:catalog");
      Thread.sleep(600); // several retries
      assertThat(recorder.errors).hasSize(1); // once per outage, not per retry
      assertThat(recorder.all).isEmpty();
      assertThat(catalog.staleSince(query)).isPresent();
      assertThat(catalog.staleness())
          .singleElement()
          .satisfies(s -> {
            assertThat(s.source()).isEqualTo("consul:catalog");
            assertThat(s.endpoints()).isZero();
          });
      // A second subscriber to the same query shares the watch and hears about the outage at once.
      var second = new Recorder();
      try (var s2 = catalog.subscribe(query, second)) {
        assertThat(second.errors).hasSize(1);
      }
      subscription.cancel();
      assertThat(catalog.staleness()).isEmpty(); // the watch is gone with its last subscriber
    }
  }

  @Test
  void otherQueriesAndClosedCatalogAreRejected() {
    var catalog = ConsulCatalog.connect(ConsulSettings.of("127.0.0.1:1"));
    assertThatThrownBy(() -> catalog.subscribe(new ServiceQuery.Static(List.of()), e -> {}))
        .isInstanceOf(UnsupportedQueryException.class);
    catalog.close();
    catalog.close();
    assertThatThrownBy(
            () -> catalog.subscribe(new ServiceQuery.Consul("x", Optional.empty()), e -> {}))
        .isInstanceOf(IllegalStateException.class);
  }
}
