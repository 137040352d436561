package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Weighted splits, measured over real requests: between services and between subsets. */
@ExtendWith(PrintLogsOnFailure.class)
class SplitIT {
  // 1000 requests at p = 0.8: one standard deviation is 1.3 points, so ±5 is ~4 sigma.
  private static final int REQUESTS = 1000;

  private static final String POLICY =
      """
      service a { source static ${a} }
      service b { source static ${b} }
      service shop {
        source static ${v1} labels version=v1, ${v2} labels version=v2
        subset v1 where version = "v1"
        subset v2 where version = "v2"
      }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /split/** { to a 80%, b 20% }
          route /subsets/** { to shop.v1 80%, shop.v2 20% }
          route /only-v2/** { to shop.v2 }
          route /shop/** { to shop }
        }
      }
      """;

  @TempDir static Path work;
  static Backend a;
  static Backend b;
  static Backend v1;
  static Backend v2;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    a = Backend.start("a");
    b = Backend.start("b");
    v1 = Backend.start("shop-v1");
    v2 = Backend.start("shop-v2");
    int port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(
                POLICY,
                Map.of(
                    "a",
                    a.address(),
                    "b",
                    b.address(),
                    "v1",
                    v1.address(),
                    "v2",
                    v2.address(),
                    "port",
                    port)));
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, a, b, v1, v2);
  }

  @Test
  void splitsBetweenServicesByWeight() {
    Map<String, Integer> served = count("/split/x", REQUESTS);
    assertThat(served.keySet()).containsExactlyInAnyOrder("a", "b");
    assertThat(100.0 * served.get("a") / REQUESTS)
        .as("share of a in %s", served)
        .isCloseTo(80.0, within(5.0));
  }

  @Test
  void splitsBetweenSubsetsByWeight() {
    Map<String, Integer> served = count("/subsets/x", REQUESTS);
    assertThat(served.keySet()).containsExactlyInAnyOrder("shop-v1", "shop-v2");
    assertThat(100.0 * served.get("shop-v1") / REQUESTS)
        .as("share of shop-v1 in %s", served)
        .isCloseTo(80.0, within(5.0));
  }

  @Test
  void subsetClusterHoldsOnlyItsEndpoints() {
    assertThat(count("/only-v2/x", 50)).containsOnlyKeys("shop-v2");
  }

  @Test
  void serviceClusterHoldsAllEndpoints() {
    assertThat(count("/shop/x", 50)).containsOnlyKeys("shop-v1", "shop-v2");
  }

  private static Map<String, Integer> count(String path, int requests) {
    Map<String, Integer> served = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = Http.get(stack.url(path));
      assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
      served.merge(Http.json(response).path("backend").asText(), 1, Integer::sum);
    }
    return served;
  }
}
