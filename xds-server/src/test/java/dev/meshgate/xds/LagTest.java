package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LagTest {
  static final Instant CHANGED = Instant.parse("2026-01-01T00:00:00Z");
  static final Publisher.View VIEW =
      new Publisher.View(
          "p",
          new TreeMap<>(Map.of("gateway:edge", new TypeVersions("c2", "e2", "l2", "r2", ""))),
          Map.of("gateway:edge", CHANGED));

  static ProxyTracker.ProxyStatus proxy(String routesAcked) {
    Map<XdsType, ProxyTracker.TypeStatus> xds = new EnumMap<>(XdsType.class);
    xds.put(XdsType.CLUSTERS, acked("c2"));
    xds.put(XdsType.ENDPOINTS, acked("e2"));
    xds.put(XdsType.LISTENERS, acked("l2"));
    xds.put(XdsType.ROUTES, acked(routesAcked));
    return new ProxyTracker.ProxyStatus("edge-1", "gateway:edge", CHANGED.minusSeconds(600), xds);
  }

  static ProxyTracker.TypeStatus acked(String version) {
    return new ProxyTracker.TypeStatus(Optional.of(version), Optional.empty(), CHANGED);
  }

  @Test
  void aProxyBehindTheServedVersionPastTheToleranceIsLagging() {
    Instant later = CHANGED.plus(Lag.TOLERANCE).plusSeconds(1);
    assertThat(Lag.lagging(VIEW, proxy("r1"), later)).containsExactly(XdsType.ROUTES);
    assertThat(Lag.lagging(VIEW, proxy("r2"), later)).isEmpty();
  }

  @Test
  void aFreshChangeIsNotLaggingYet() {
    assertThat(Lag.lagging(VIEW, proxy("r1"), CHANGED.plusSeconds(1))).isEmpty();
  }
}
