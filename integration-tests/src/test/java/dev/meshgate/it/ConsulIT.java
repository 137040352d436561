package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.testing.ConsulDevAgent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consul end to end: a real {@code consul agent -dev}, {@code meshgate serve --consul}, a real
 * Envoy and real traffic. Every change made in Consul shows in Envoy's {@code /clusters} and in
 * which backends answer within 2 s; a Consul outage (and a restart that comes back empty, as a dev
 * agent does) does not take the last known endpoints away.
 */
@ExtendWith(PrintLogsOnFailure.class)
class ConsulIT {
  private static final Duration FOLLOW = Duration.ofSeconds(2);
  private static final String POLICY =
      """
      service web {
        source consul "web"
      }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /** { to web }
        }
      }
      """;

  @TempDir static Path work;
  static final List<AutoCloseable> open = new ArrayList<>();

  @AfterAll
  static void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static <T extends AutoCloseable> T keep(T resource) {
    open.add(resource);
    return resource;
  }

  @Test
  void envoyFollowsConsulAndSurvivesItsOutage() throws Exception {
    ConsulDevAgent consul = keep(ConsulDevAgent.start("zone-a"));
    Backend b1 = keep(Backend.start("b1"));
    Backend b2 = keep(Backend.start("b2"));
    Backend b3 = keep(Backend.start("b3"));
    register(consul, "b1", b1);
    register(consul, "b2", b2);

    int port = FreePorts.next();
    GatewayStack stack =
        keep(
            GatewayStack.start(
                work,
                "edge",
                port,
                Policy.render(POLICY, Map.of("port", port)),
                "--consul",
                consul.address(),
                "--eds-coalesce",
                "50ms"));
    EnvoyProcess envoy = stack.envoy();

    // Both instances get traffic.
    follows(stack, "initial registration", Duration.ofSeconds(10), b1, b2);

    // Deregistered: gone within 2 s.
    consul.deregister("b1");
    follows(stack, "deregistration of b1", FOLLOW, b2);

    // Failing health check: no longer passing, so no longer served. Consul is healthy, so the
    // empty list is real: the cluster is emptied and the gateway answers 503.
    consul.failCheck("b2");
    Wait.until(FOLLOW, "web emptied after b2's check failed", () -> hosts(envoy).isEmpty());
    assertThat(Http.get(stack.url("/x")).statusCode()).isEqualTo(503);

    // A new instance: served within 2 s; b2 recovers.
    register(consul, "b3", b3);
    follows(stack, "registration of b3", FOLLOW, b3);
    consul.passCheck("b2");
    follows(stack, "b2's check passing again", FOLLOW, b2, b3);
    assertThat(stale(stack)).isZero();

    // Consul goes away: the last known endpoints keep serving, and staleness shows in /metrics.
    consul.stopProcess();
    Wait.until(
        Duration.ofSeconds(5), "meshgate reports the Consul watch stale", () -> stale(stack) == 1);
    assertServedOnlyBy(stack, Duration.ofSeconds(2), b2, b3);

    // Consul comes back empty (dev mode keeps nothing): not a deregistration, traffic keeps
    // flowing.
    consul.startProcess();
    assertServedOnlyBy(stack, Duration.ofSeconds(2), b2, b3);
    assertThat(hosts(envoy)).isEqualTo(addresses(b2, b3));

    // Instances register again (as their agents would re-sync): changes flow again.
    register(consul, "b2", b2);
    register(consul, "b1", b1);
    // The watch may still be in its retry backoff (up to 10 s) when Consul returns; from then on, 2
    // s.
    follows(stack, "re-registration after the restart", Duration.ofSeconds(15), b1, b2);
    Wait.until(Duration.ofSeconds(5), "staleness cleared", () -> stale(stack) == 0);
    register(consul, "b3", b3);
    follows(stack, "registration after the restart", FOLLOW, b1, b2, b3);
    consul.deregister("b1");
    follows(stack, "deregistration after the restart", FOLLOW, b2, b3);

    envoy.assertNothingRejected();
  }

  private static void register(ConsulDevAgent consul, String id, Backend backend) throws Exception {
    consul.register(
        id, "web", backend.port(), List.of("v1"), Map.of("version", "v1"), Optional.of("60s"));
  }

  /**
   * Within {@code timeout}, Envoy's /clusters lists exactly {@code backends} for cluster web and a
   * batch of requests is answered by exactly those backends.
   */
  private static void follows(
      GatewayStack stack, String what, Duration timeout, Backend... backends) {
    Set<String> addresses = addresses(backends);
    Set<String> names = names(backends);
    long start = System.nanoTime();
    Wait.until(
        timeout,
        what + ": /clusters " + addresses + " and traffic to " + names,
        () ->
            hosts(stack.envoy()).equals(addresses)
                && servedBy(stack, 4 * backends.length).equals(names));
    System.err.println(
        what + " followed in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
  }

  /** For {@code duration}, every request succeeds and is answered by one of {@code backends}. */
  private static void assertServedOnlyBy(
      GatewayStack stack, Duration duration, Backend... backends) {
    Set<String> names = names(backends);
    long end = System.nanoTime() + duration.toNanos();
    int requests = 0;
    while (System.nanoTime() < end) {
      HttpResponse<String> r = Http.get(stack.url("/x"));
      assertThat(r.statusCode()).as("request %d: %s", requests, r.body()).isEqualTo(200);
      assertThat(names).contains(Http.json(r).path("backend").asText());
      requests++;
      Wait.sleep(Duration.ofMillis(20));
    }
    assertThat(requests).isGreaterThan(10);
  }

  private static Set<String> servedBy(GatewayStack stack, int requests) {
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> r = Http.get(stack.url("/x"));
      if (r.statusCode() != 200) {
        return Set.of("status " + r.statusCode());
      }
      seen.add(Http.json(r).path("backend").asText());
    }
    return seen;
  }

  /**
   * The hosts Envoy has for cluster web, from /clusters ({@code web::ADDR:PORT::health_flags::…}).
   */
  private static Set<String> hosts(EnvoyProcess envoy) {
    return envoy
        .clusters()
        .lines()
        .filter(l -> l.startsWith("web::") && l.contains("::health_flags::"))
        .map(l -> l.split("::")[1])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> addresses(Backend... backends) {
    Set<String> set = new TreeSet<>();
    for (Backend b : backends) {
      set.add("127.0.0.1:" + b.port());
    }
    return set;
  }

  private static Set<String> names(Backend... backends) {
    Set<String> set = new TreeSet<>();
    for (Backend b : backends) {
      set.add(b.name());
    }
    return set;
  }

  private static double stale(GatewayStack stack) {
    return stack.meshgate().metric("meshgate_catalog_stale_watches").orElse(-1.0);
  }
}
