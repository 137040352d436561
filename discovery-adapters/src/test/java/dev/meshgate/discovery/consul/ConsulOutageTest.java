package dev.meshgate.discovery.consul;

import static dev.meshgate.discovery.consul.Recorder.ports;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.testing.ConsulDevAgent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A real Consul agent that goes away and comes back empty (dev mode keeps nothing). */
class ConsulOutageTest {
  static final Duration WITHIN = Duration.ofSeconds(5);

  @Test
  void lastKnownEndpointsSurviveAnOutageAndARestartedEmptyConsul() throws Exception {
    try (var consul = ConsulDevAgent.start("zone-a")) {
      consul.register("web-1", "web", 9301);
      consul.register("web-2", "web", 9302);
      var query = new ServiceQuery.Consul("web", Optional.empty());
      try (var catalog = ConsulCatalog.connect(consul.settings())) {
        var recorder = new Recorder();
        catalog.subscribe(query, recorder);
        recorder.await(ports(9301, 9302), WITHIN);
        int updates = recorder.all.size();

        consul.stopProcess();
        waitFor(() -> !recorder.errors.isEmpty(), WITHIN);
        assertThat(catalog.staleSince(query)).isPresent();
        assertThat(catalog.staleness())
            .singleElement()
            .satisfies(s -> assertThat(s.endpoints()).isEqualTo(2));
        Thread.sleep(1_000);
        assertThat(recorder.all).hasSize(updates); // nothing, least of all an empty list

        // Back, but empty: within the grace that is not taken as a deregistration.
        consul.startProcess();
        Thread.sleep(1_500);
        assertThat(recorder.all).hasSize(updates);
        assertThat(catalog.staleSince(query)).isPresent();
        // Instances register again: that is trusted at once, and staleness ends.
        consul.register("web-2", "web", 9302);
        recorder.await(ports(9302), WITHIN);
        assertThat(catalog.staleSince(query)).isEmpty();
        consul.register("web-3", "web", 9303);
        recorder.await(ports(9302, 9303), WITHIN);
        assertThat(recorder.all).noneMatch(List::isEmpty);
      }
    }
  }

  @Test
  void anEmptyAnswerAfterTheGraceIsADeregistration() throws Exception {
    try (var consul = ConsulDevAgent.start("zone-a")) {
      consul.register("api-1", "api", 9401);
      var query = new ServiceQuery.Consul("api", Optional.empty());
      try (var catalog =
          ConsulCatalog.connect(
              consul.settings().withEmptyAfterOutageGrace(Duration.ofSeconds(2)))) {
        var recorder = new Recorder();
        catalog.subscribe(query, recorder);
        recorder.await(ports(9401), WITHIN);
        consul.stopProcess();
        waitFor(() -> !recorder.errors.isEmpty(), WITHIN);
        consul.startProcess();
        long start = System.nanoTime();
        recorder.await(List::isEmpty, Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isGreaterThan(Duration.ofMillis(1_500));
        assertThat(catalog.staleness()).isEmpty();
      }
    }
  }

  static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(20);
    }
  }
}
