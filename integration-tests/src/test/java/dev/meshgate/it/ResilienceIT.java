package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
 * Fault injection, per-attempt timeouts, `timeout none` and retriable status codes (issues 11 and
 * 14), through one real Envoy configured by one `meshgate serve`.
 */
@ExtendWith(PrintLogsOnFailure.class)
class ResilienceIT {
  private static final int REQUESTS = 500;

  private static final String POLICY =
      """
      service app  { source static ${app} }
      service slow { source static ${slow} }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /abort-share/** {
            to app
            fault abort 503 20%
          }
          route /delay-share/** {
            to app
            fault delay 1ms 30%
          }
          route /chaos/** {
            to app
            fault abort 418 when header "x-chaos"
          }
          route /grpc/** {
            to app
            fault abort grpc 14
          }
          route /delay/** {
            to app
            fault delay 400ms
          }
          route /attempt/** {
            to slow
            timeout 5s
            backend-timeout 300ms
          }
          route /stream/** {
            to slow
            timeout none
          }
          route /on-429/** {
            to app
            retry 2 on 429
          }
          route /on-5xx/** {
            to app
            retry 2 on 5xx
          }
        }
      }
      """;

  @TempDir static Path work;
  static Backend app;
  static Backend slow;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    app = Backend.start("app");
    slow = Backend.start("slow");
    int port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(
                POLICY, Map.of("app", app.address(), "slow", slow.address(), "port", port)));
  }

  @BeforeEach
  void resetBackends() {
    app.reset();
    slow.reset();
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, app, slow);
  }

  @Test
  void abortsTheWrittenShareOfRequests() {
    int aborted = 0;
    for (int i = 0; i < REQUESTS; i++) {
      HttpResponse<String> response = Http.get(stack.url("/abort-share/x"));
      if (response.statusCode() == 503) {
        aborted++;
      } else {
        assertThat(response.statusCode()).isEqualTo(200);
      }
    }
    // 20% of 500: binomial standard deviation ~9 requests; 6 points (30) is over 3 sigma.
    assertThat(aborted / (double) REQUESTS).isCloseTo(0.20, within(0.06));
    assertThat(app.requests())
        .as("aborted requests never reach the backend")
        .isEqualTo(REQUESTS - aborted);
  }

  @Test
  void delaysTheWrittenShareOfRequests() {
    long before = delaysInjected();
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(Http.get(stack.url("/delay-share/x")).statusCode()).isEqualTo(200);
    }
    long delayed = delaysInjected() - before;
    assertThat(delayed / (double) REQUESTS).isCloseTo(0.30, within(0.07));
  }

  private static long delaysInjected() {
    return stack.envoy().stats("fault\\.delays_injected$").values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  @Test
  void abortsOnlyRequestsThatCarryTheHeader() {
    assertThat(Http.get(stack.url("/chaos/x"), "x-chaos", "1").statusCode()).isEqualTo(418);
    assertThat(Http.get(stack.url("/chaos/x")).statusCode()).isEqualTo(200);
    assertThat(app.requests()).isEqualTo(1);
  }

  @Test
  void abortsWithAGrpcStatus() {
    HttpResponse<String> response =
        Http.get(stack.url("/grpc/x"), "content-type", "application/grpc");
    assertThat(response.headers().firstValue("grpc-status")).hasValue("14");
    assertThat(app.requests()).isZero();
  }

  @Test
  void delaysEveryRequest() {
    long start = System.nanoTime();
    assertThat(Http.get(stack.url("/delay/x")).statusCode()).isEqualTo(200);
    // Envoy's timers may fire a fraction of a millisecond early (seen: 399.8 ms for 400 ms), so
    // the bound leaves 10 ms; without the fault the request takes a few milliseconds.
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(390));
  }

  @Test
  void backendTimeoutCutsOffOneAttemptBeforeTheRequestTimeout() {
    slow.delay(Duration.ofSeconds(2));
    long start = System.nanoTime();
    HttpResponse<String> response = Http.get(stack.url("/attempt/x"));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
    assertThat(elapsed)
        .isGreaterThanOrEqualTo(Duration.ofMillis(280))
        .isLessThan(Duration.ofMillis(1800));
  }

  @Test
  void timeoutNoneIsAppliedAsEnvoysZeroTimeout() {
    // Waiting past Envoy's 15 s default would make the suite slow; the applied route says it.
    String routes = stack.envoy().configDump("RoutesConfigDump").toString();
    assertThat(routes).contains("\"timeout\":\"0s\"");
    slow.delay(Duration.ofMillis(200));
    assertThat(Http.get(stack.url("/stream/x")).statusCode()).isEqualTo(200);
  }

  @Test
  void retriesOnAWrittenStatusCode() {
    app.failNext(2, 429);
    assertThat(Http.get(stack.url("/on-429/x")).statusCode()).isEqualTo(200);
    assertThat(app.requests()).isEqualTo(3);
  }

  @Test
  void aStatusCodeNotWrittenIsNotRetried() {
    app.failNext(2, 429);
    assertThat(Http.get(stack.url("/on-5xx/x")).statusCode()).isEqualTo(429);
    assertThat(app.requests()).isEqualTo(1);
  }
}
