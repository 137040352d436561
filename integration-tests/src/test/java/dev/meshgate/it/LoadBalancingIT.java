package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Load balancing (issue 14): a service's {@code load-balancer} (ring hash, maglev, least request)
 * with a route's {@code hash-by} header, cookie (generated with a TTL) or source address, {@code
 * slow-start}, and zone failover from a gateway's {@code zone} and its endpoints' {@code zone}
 * labels, proven with real traffic through one real Envoy configured by one {@code meshgate serve}.
 */
@ExtendWith(PrintLogsOnFailure.class)
class LoadBalancingIT {
  private static final String POLICY =
      """
      service hashed {
        source static ${h1}, ${h2}, ${h3}, ${h4}
        load-balancer ring-hash
      }
      service maglevd {
        source static ${h1}, ${h2}, ${h3}, ${h4}
        load-balancer maglev
      }
      service plain {
        source static ${h1}, ${h2}, ${h3}, ${h4}
      }
      service spread {
        source static ${h1}, ${h2}, ${h3}
        load-balancer least-request
        slow-start 5s { min-weight 50% }
      }
      service scattered {
        source static ${h1}, ${h2}, ${h3}, ${h4}
        load-balancer random
      }
      service zoned {
        source static ${a1} labels zone=a, ${a2} labels zone=a, ${b1} labels zone=b, ${b2} labels zone=b
        health-check http "/healthz" { interval 300ms timeout 200ms unhealthy 1 healthy 1 }
      }

      gateway edge {
        listen 127.0.0.1:${port}
        zone "a"
        host "*" {
          route /header/** { to hashed  hash-by header "x-user" }
          route /cookie/** { to maglevd  hash-by cookie "sticky" ttl 1h }
          route /source/** { to hashed  hash-by source-ip }
          route /unhashed/** { to plain  hash-by header "x-user" }
          route /spread/** { to spread }
          route /zoned/** { to zoned }
          route /random/** { to scattered }
        }
      }
      """;

  @TempDir static Path work;
  static List<Backend> hashed;
  static List<Backend> zoneA;
  static List<Backend> zoneB;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    hashed =
        List.of(Backend.start("h1"), Backend.start("h2"), Backend.start("h3"), Backend.start("h4"));
    zoneA = List.of(Backend.start("a1"), Backend.start("a2"));
    zoneB = List.of(Backend.start("b1"), Backend.start("b2"));
    int port = FreePorts.next();
    Map<String, Object> values = new HashMap<>();
    for (Backend b : Stream.of(hashed, zoneA, zoneB).flatMap(List::stream).toList()) {
      values.put(b.name(), b.address());
    }
    values.put("port", port);
    stack = GatewayStack.start(work, "edge", port, Policy.render(POLICY, values));
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(stack);
    Stream.of(hashed, zoneA, zoneB).flatMap(List::stream).forEach(all::add);
    Closer.closeAll(all.toArray(AutoCloseable[]::new));
  }

  @Test
  void theSameHeaderAlwaysReachesTheSameEndpointAndDifferentOnesSpread() {
    Map<String, Set<String>> byUser = new TreeMap<>();
    for (int round = 0; round < 10; round++) {
      for (int user = 0; user < 20; user++) {
        String key = "user-" + user;
        byUser
            .computeIfAbsent(key, k -> new TreeSet<>())
            .add(backend(Http.get(stack.url("/header/x"), "x-user", key)));
      }
    }
    byUser.forEach((user, backends) -> assertThat(backends).as(user).hasSize(1));
    Set<String> used = new TreeSet<>();
    byUser.values().forEach(used::addAll);
    assertThat(used).as("twenty users spread over the endpoints").hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void withoutAHashingBalancerTheHeaderIsIgnored() {
    // The same user over round robin (the checker warns, MG358): every endpoint serves it.
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < 20; i++) {
      seen.add(backend(Http.get(stack.url("/unhashed/x"), "x-user", "user-1")));
    }
    assertThat(seen).isEqualTo(Set.of("h1", "h2", "h3", "h4"));
  }

  @Test
  void envoyGeneratesTheCookieWithItsTtlAndTheCookieKeepsTheEndpoint() {
    HttpResponse<String> first = Http.get(stack.url("/cookie/x"));
    assertThat(first.statusCode()).isEqualTo(200);
    String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie).startsWith("sticky=").contains("Max-Age=3600");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String firstBackend = backend(first);
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> r = Http.get(stack.url("/cookie/x"), "cookie", cookie);
      assertThat(backend(r)).as("request %d with %s", i, cookie).isEqualTo(firstBackend);
      assertThat(r.headers().firstValue("set-cookie"))
          .as("a client that has the cookie gets no new one")
          .isEmpty();
    }
    // Different cookies (clients) spread; each keeps its endpoint.
    Map<String, Set<String>> byCookie = new TreeMap<>();
    for (int round = 0; round < 5; round++) {
      for (int c = 0; c < 20; c++) {
        String value = "sticky=client-" + c;
        byCookie
            .computeIfAbsent(value, k -> new TreeSet<>())
            .add(backend(Http.get(stack.url("/cookie/x"), "cookie", value)));
      }
    }
    byCookie.forEach((c, backends) -> assertThat(backends).as(c).hasSize(1));
    Set<String> used = new TreeSet<>();
    byCookie.values().forEach(used::addAll);
    assertThat(used).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void theSameClientAddressAlwaysReachesTheSameEndpoint() {
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < 20; i++) {
      seen.add(backend(Http.get(stack.url("/source/x"))));
    }
    assertThat(seen).as("every request comes from 127.0.0.1").hasSize(1);
  }

  @Test
  void leastRequestSpreadsOverEveryEndpointAndEnvoyRampsUpWithSlowStart() {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < 90; i++) {
      counts.merge(backend(Http.get(stack.url("/spread/x"))), 1, Integer::sum);
    }
    assertThat(counts.keySet()).isEqualTo(Set.of("h1", "h2", "h3"));
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(10));
    // Slow start only shows on endpoints that join later; that Envoy took it is what we can see.
    JsonNode spread = null;
    for (JsonNode c :
        stack.envoy().configDump("ClustersConfigDump").path("dynamic_active_clusters")) {
      if (c.path("cluster").path("name").asText().equals("spread")) {
        spread = c.path("cluster");
      }
    }
    assertThat(spread).as("the spread cluster").isNotNull();
    assertThat(spread.path("lb_policy").asText()).isEqualTo("LEAST_REQUEST");
    assertThat(
            spread
                .path("least_request_lb_config")
                .path("slow_start_config")
                .path("slow_start_window")
                .asText())
        .isEqualTo("5s");
  }

  @Test
  void randomSpreadsOverEveryEndpointInNoFixedOrder() {
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      order.add(backend(Http.get(stack.url("/random/x"))));
    }
    Map<String, Integer> counts = new TreeMap<>();
    order.forEach(b -> counts.merge(b, 1, Integer::sum));
    assertThat(counts.keySet()).isEqualTo(Set.of("h1", "h2", "h3", "h4"));
    assertThat(counts.values())
        .as("each of four endpoints gets at least 10%% of 200 requests: %s", counts)
        .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(20));
    // Round robin over four equal endpoints never serves two requests in a row from the same one;
    // random does (all 199 pairs differing has probability (3/4)^199).
    boolean repeated = false;
    for (int i = 1; i < order.size(); i++) {
      repeated |= order.get(i).equals(order.get(i - 1));
    }
    assertThat(repeated).as("some backend served two requests in a row: %s", order).isTrue();
  }

  @Test
  void theLocalZoneGetsAllTrafficUntilItsEndpointsDieThenTheOtherZoneTakesOver() {
    Wait.until(
        Duration.ofSeconds(10),
        "both zone-a endpoints serve",
        () -> Optional.of(true).filter(x -> backendsOf(20, "/zoned/x").equals(Set.of("a1", "a2"))));
    assertThat(backendsOf(40, "/zoned/x"))
        .as("zone b's endpoints are healthy but only a failover")
        .isEqualTo(Set.of("a1", "a2"));
    assertThat(stack.envoy().clusters())
        .contains("zoned::" + zoneB.getFirst().address() + "::priority::1");

    zoneA.forEach(Backend::close); // the local zone dies; the health check notices
    Wait.until(
        Duration.ofSeconds(10),
        "traffic moved to zone b; clusters: " + stack.envoy().clusters(),
        () -> Optional.of(true).filter(x -> backendsOf(20, "/zoned/x").equals(Set.of("b1", "b2"))));
    assertThat(backendsOf(40, "/zoned/x")).isEqualTo(Set.of("b1", "b2"));
  }

  private static String backend(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Http.json(r).path("backend").asText();
  }

  /** Which backends served {@code n} requests; every one must succeed. */
  private static Set<String> backendsOf(int n, String path) {
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = Http.get(stack.url(path));
      if (r.statusCode() != 200) {
        seen.add("status " + r.statusCode());
        continue;
      }
      seen.add(backend(r));
    }
    return seen;
  }
}
