package dev.meshgate.discovery.consul;

import static dev.meshgate.discovery.consul.Recorder.ports;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.testing.ConsulDevAgent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a real {@code consul agent -dev} (see {@link ConsulDevAgent} for how it is found). One
 * agent for the class; each test uses its own service names.
 */
class ConsulCatalogTest {
  static final Duration WITHIN = Duration.ofSeconds(5);
  static ConsulDevAgent consul;

  @BeforeAll
  static void startConsul() throws Exception {
    consul = ConsulDevAgent.start("zone-a");
  }

  @AfterAll
  static void stopConsul() throws Exception {
    if (consul != null) {
      consul.close();
    }
  }

  private static ServiceQuery.Consul query(String service) {
    return new ServiceQuery.Consul(service, Optional.empty());
  }

  @Test
  void passingInstancesWithLabelsAndZoneAndEveryChangeFollows() throws Exception {
    consul.register(
        "alpha-1", "alpha", 9001, List.of("canary"), Map.of("version", "v1"), Optional.of("30s"));
    consul.register(
        "alpha-2", "alpha", 9002, List.of(), Map.of("version", "v2"), Optional.of("30s"));
    try (var catalog = ConsulCatalog.connect(consul.settings())) {
      var recorder = new Recorder();
      catalog.subscribe(query("alpha"), recorder);
      // The first answer is delivered before subscribe returns (Consul is up and fast).
      assertThat(recorder.all).hasSize(1);
      List<Endpoint> first = recorder.await(ports(9001, 9002), WITHIN);
      assertThat(first.getFirst().labels())
          .containsEntry("tag:canary", "true")
          .containsEntry("version", "v1");
      assertThat(first.getFirst().zone()).contains("zone-a");
      assertThat(first.get(1).labels()).containsExactly(Map.entry("version", "v2"));

      consul.failCheck("alpha-1"); // failing health check: no longer passing
      recorder.await(ports(9002), WITHIN);
      consul.register("alpha-3", "alpha", 9003);
      recorder.await(ports(9002, 9003), WITHIN);
      consul.passCheck("alpha-1");
      recorder.await(ports(9001, 9002, 9003), WITHIN);
      consul.deregister("alpha-2");
      recorder.await(ports(9001, 9003), WITHIN);
      // Consul is healthy: an empty answer is a real deregistration.
      consul.deregister("alpha-1");
      consul.deregister("alpha-3");
      recorder.await(List::isEmpty, WITHIN);
      assertThat(recorder.errors).isEmpty();
      assertThat(catalog.staleness()).isEmpty();
    }
  }

  @Test
  void tagAndDatacenterNarrowTheQuery() throws Exception {
    consul.register("beta-1", "beta", 9101, List.of("blue"), Map.of(), Optional.empty());
    consul.register("beta-2", "beta", 9102, List.of("green"), Map.of(), Optional.empty());
    try (var catalog = ConsulCatalog.connect(consul.settings())) {
      var blue = new Recorder();
      catalog.subscribe(
          new ServiceQuery.Consul("beta", Optional.of("dc1"), Optional.of("blue")), blue);
      blue.await(ports(9101), WITHIN);
      var all = new Recorder();
      catalog.subscribe(new ServiceQuery.Consul("beta", Optional.of("dc1")), all);
      all.await(ports(9101, 9102), WITHIN);
      consul.register("beta-3", "beta", 9103, List.of("blue"), Map.of(), Optional.empty());
      blue.await(ports(9101, 9103), WITHIN);
      all.await(ports(9101, 9102, 9103), WITHIN);
    }
  }

  @Test
  void oneWatchPerQuerySharedBySubscriptions() throws Exception {
    consul.register("gamma-1", "gamma", 9201);
    try (var catalog = ConsulCatalog.connect(consul.settings())) {
      var a = new Recorder();
      var b = new Recorder();
      var sa = catalog.subscribe(query("gamma"), a);
      var sb = catalog.subscribe(query("gamma"), b);
      assertThat(catalog.watchCount()).isEqualTo(1);
      // The second subscriber gets the known list at once, without a request of its own.
      assertThat(b.all).containsExactly(List.copyOf(a.last));
      consul.register("gamma-2", "gamma", 9202);
      a.await(ports(9201, 9202), WITHIN);
      b.await(ports(9201, 9202), WITHIN);
      sa.cancel();
      consul.register("gamma-3", "gamma", 9203);
      b.await(ports(9201, 9202, 9203), WITHIN);
      assertThat(a.all).noneMatch(ports(9201, 9202, 9203));
      sb.cancel();
      assertThat(catalog.watchCount()).isZero();
    }
  }
}
