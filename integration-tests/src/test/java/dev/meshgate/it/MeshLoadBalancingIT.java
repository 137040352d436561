package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load balancing on a sidecar's calls (issue 14), the same words as on a gateway's routes: the
 * callee's {@code load-balancer ring-hash} with the call's {@code hash-by header}, and the
 * sidecar's {@code zone} preferring the callee's endpoints in that zone until they die. The callees
 * are plain backends outside the mesh, so one service can have several endpoints.
 */
@ExtendWith(PrintLogsOnFailure.class)
class MeshLoadBalancingIT {
  private static final String POLICY =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      service orders {
        source static 127.0.0.1:${orders.inbound}
        sidecar {
          inbound 127.0.0.1:${orders.inbound}
          app ${orders.app}
          outbound 127.0.0.1:${orders.outbound}
          zone "a"
        }
      }
      service users {
        source static @h1@, @h2@, @h3@, @h4@
        load-balancer ring-hash
      }
      service zoned {
        source static @a1@ labels zone=a, @b1@ labels zone=b, @b2@ labels zone=b
        health-check http "/healthz" { interval 300ms timeout 200ms unhealthy 1 healthy 1 }
      }
      call orders -> users { hash-by header "x-user" }
      call orders -> zoned { timeout 2s }
      """;

  @TempDir static Path work;
  static List<Backend> users;
  static List<Backend> zoned;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    users =
        List.of(Backend.start("h1"), Backend.start("h2"), Backend.start("h3"), Backend.start("h4"));
    zoned = List.of(Backend.start("a1"), Backend.start("b1"), Backend.start("b2"));
    String policy = POLICY;
    for (Backend b : Stream.concat(users.stream(), zoned.stream()).toList()) {
      policy = policy.replace("@" + b.name() + "@", b.address());
    }
    mesh = MeshStack.start(work, policy, List.of("orders"), List.of());
  }

  @AfterEach
  void envoysRejectedNothing() {
    mesh.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(mesh);
    Stream.concat(users.stream(), zoned.stream()).forEach(all::add);
    Closer.closeAll(all.toArray(AutoCloseable[]::new));
  }

  @Test
  void aCallKeepsEachUserOnOneEndpointAndSpreadsTheUsers() {
    Map<String, Set<String>> byUser = new TreeMap<>();
    for (int round = 0; round < 5; round++) {
      for (int user = 0; user < 20; user++) {
        String key = "user-" + user;
        byUser
            .computeIfAbsent(key, k -> new TreeSet<>())
            .add(backend(mesh.call("orders", "users", "GET", "/u", "x-user", key)));
      }
    }
    byUser.forEach((user, backends) -> assertThat(backends).as(user).hasSize(1));
    Set<String> used = new TreeSet<>();
    byUser.values().forEach(used::addAll);
    assertThat(used).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void theSidecarPrefersItsZoneAndFailsOverWhenItsEndpointDies() {
    Wait.until(
        Duration.ofSeconds(10),
        "zone a's endpoint serves",
        () -> Optional.of(true).filter(x -> backendsOf(10).equals(Set.of("a1"))));
    assertThat(backendsOf(30)).as("zone b is only the failover").isEqualTo(Set.of("a1"));

    zoned.getFirst().close(); // zone a's only endpoint stops
    Wait.until(
        Duration.ofSeconds(10),
        "traffic moved to zone b",
        () -> Optional.of(true).filter(x -> backendsOf(10).equals(Set.of("b1", "b2"))));
    assertThat(backendsOf(30)).isEqualTo(Set.of("b1", "b2"));
  }

  private static String backend(HttpResponse<String> r) {
    return MeshStack.ok(r).path("backend").asText();
  }

  private static Set<String> backendsOf(int n) {
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = mesh.call("orders", "zoned", "GET", "/z");
      seen.add(r.statusCode() == 200 ? backend(r) : "status " + r.statusCode());
    }
    return seen;
  }
}
