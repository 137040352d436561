package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirror}: the mirror backend observes the copies (all of them, or a share), the client gets
 * the primary's answer even when the mirror fails, and alternatives and several domains of one host
 * route through a real Envoy. One Envoy and one server for every case.
 */
@ExtendWith(PrintLogsOnFailure.class)
class MirrorIT {
  // 400 copies at p = 0.5: one standard deviation is 2.5 points, so ±12 is ~5 sigma.
  private static final int REQUESTS = 400;

  private static final String POLICY =
      """
      service primary { source static ${primary} }
      service shadow { source static ${shadow} }
      service other { source static ${other} }

      gateway edge {
        listen 127.0.0.1:${port}
        host "localhost", "127.0.0.1" {
          route /all/** { to primary  mirror shadow }
          route /half/** { to primary  mirror shadow 50% }
          route /two/** { to primary  mirror shadow  mirror other }
          route GET /alt/a or POST /alt/b when header "x-alt" = "1" { to other }
        }
      }
      """;

  @TempDir static Path work;
  static Backend primary;
  static Backend shadow;
  static Backend other;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    primary = Backend.start("primary");
    shadow = Backend.start("shadow");
    other = Backend.start("other");
    int port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(
                POLICY,
                Map.of(
                    "primary",
                    primary.address(),
                    "shadow",
                    shadow.address(),
                    "other",
                    other.address(),
                    "port",
                    port)));
  }

  @BeforeEach
  void reset() {
    primary.reset();
    shadow.reset();
    other.reset();
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, primary, shadow, other);
  }

  @Test
  void everyRequestIsCopiedAndTheMirrorsAnswerIsDropped() {
    shadow.failNext(1000, 500);
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = Http.get(stack.url("/all/x"));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(Http.json(response).get("backend").asText()).isEqualTo("primary");
    }
    Wait.until(Duration.ofSeconds(10), "20 copies at the mirror", () -> shadow.requests() == 20);
    // Envoy marks the copy by appending -shadow to its authority.
    assertThat(shadow.lastHeaders().get("host")).startsWith("127.0.0.1").contains("-shadow");
    assertThat(primary.requests()).isEqualTo(20);
  }

  @Test
  void aShareIsCopied() {
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(Http.get(stack.url("/half/x")).statusCode()).isEqualTo(200);
    }
    Wait.until(
        Duration.ofSeconds(10),
        "about half the requests copied",
        () -> {
          double share = 100.0 * shadow.requests() / REQUESTS;
          return share > 38 && share < 62;
        });
  }

  @Test
  void severalMirrorsEachGetACopy() {
    for (int i = 0; i < 10; i++) {
      assertThat(Http.get(stack.url("/two/x")).statusCode()).isEqualTo(200);
    }
    Wait.until(
        Duration.ofSeconds(10),
        "10 copies at each mirror",
        () -> shadow.requests() == 10 && other.requests() == 10);
  }

  @Test
  void alternativesAndDomainsRoute() {
    assertThat(Http.get(stack.url("/alt/a")).statusCode()).isEqualTo(200);
    assertThat(Http.send("POST", stack.url("/alt/b"), "x-alt", "1").statusCode()).isEqualTo(200);
    assertThat(Http.send("POST", stack.url("/alt/b")).statusCode()).isEqualTo(404);
    assertThat(other.requests()).isEqualTo(2);
  }
}
