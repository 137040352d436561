package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.ProxyResources;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RemovalGuardTest {
  static CompiledPolicy gateways(int n) {
    return Fixtures.policy(
        IntStream.range(0, n)
            .mapToObj(i -> Fixtures.gateway("g" + i, 8000 + i, 2, List.of()))
            .toArray(ProxyResources[]::new));
  }

  @Test
  void holdsAReloadToNoGroupAtAll() {
    assertThat(RemovalGuard.DEFAULT.holdReason(gateways(1), gateways(0)))
        .hasValueSatisfying(r ->
            assertThat(r)
                .startsWith("held: the new policy has no gateway or sidecar")
                .contains("all 1 proxy group(s)")
                .endsWith("restart the server with --allow-removal"));
  }

  @Test
  void holdsAReloadRemovingMoreThanTheShareOfRoutes() {
    assertThat(RemovalGuard.DEFAULT.holdReason(gateways(10), gateways(4)))
        .hasValue(
            "held: the new policy removes 6 of 10 routes (60%), more than the 50% one reload may"
                + " remove (--max-removal); if that is intended, restart the server with"
                + " --allow-removal");
  }

  @Test
  void appliesSmallOrSharedRemovals() {
    // Half is allowed; fewer than five removed is always allowed.
    assertThat(RemovalGuard.DEFAULT.holdReason(gateways(10), gateways(5))).isEmpty();
    assertThat(RemovalGuard.DEFAULT.holdReason(gateways(3), gateways(1))).isEmpty();
    assertThat(new RemovalGuard(0.9, false).holdReason(gateways(10), gateways(4))).isEmpty();
  }

  @Test
  void countsAGroupKeptAsTheSameInstanceOnBothSides() {
    // The server's incremental compiler hands back an unchanged group as the same instance.
    ProxyResources[] served = gateways(10).groups().toArray(ProxyResources[]::new);
    CompiledPolicy kept = Fixtures.policy(served);
    CompiledPolicy fourKept = Fixtures.policy(java.util.Arrays.copyOf(served, 4));
    ProxyResources[] oneReplaced = served.clone();
    oneReplaced[9] = Fixtures.gateway("g9", 8009, 2, List.of());

    assertThat(RemovalGuard.DEFAULT.holdReason(Fixtures.policy(served), kept)).isEmpty();
    assertThat(RemovalGuard.DEFAULT.holdReason(Fixtures.policy(served), fourKept))
        .hasValue(
            "held: the new policy removes 6 of 10 routes (60%), more than the 50% one reload may"
                + " remove (--max-removal); if that is intended, restart the server with"
                + " --allow-removal");
    assertThat(RemovalGuard.DEFAULT.holdReason(fourKept, Fixtures.policy(oneReplaced))).isEmpty();
    assertThat(RemovalGuard.DEFAULT.holdReason(Fixtures.policy(oneReplaced), fourKept))
        .hasValueSatisfying(r -> assertThat(r).contains("removes 6 of 10 routes"));
  }

  @Test
  void allowRemovalAppliesEverything() {
    assertThat(new RemovalGuard(0.5, true).holdReason(gateways(10), gateways(0))).isEmpty();
  }
}
