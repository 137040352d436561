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

/** Retries and timeouts, against upstreams that really fail and really stall. */
@ExtendWith(PrintLogsOnFailure.class)
class RetryTimeoutIT {
  private static final String POLICY =
      """
      service flaky { source static ${flaky} }
      service slow  { source static ${slow} }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /retry/** {
            to flaky
            retry 3 on 5xx
          }
          route /no-retry/** { to flaky }
          route /timeout/** {
            to slow
            timeout 500ms
          }
        }
      }
      """;

  @TempDir static Path work;
  static Backend flaky;
  static Backend slow;
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    flaky = Backend.start("flaky");
    slow = Backend.start("slow");
    int port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(
                POLICY, Map.of("flaky", flaky.address(), "slow", slow.address(), "port", port)));
  }

  @BeforeEach
  void resetBackends() {
    flaky.reset();
    slow.reset();
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, flaky, slow);
  }

  @Test
  void retriesOn5xxUntilSuccess() {
    flaky.failNext(2, 503);
    HttpResponse<String> response = Http.get(stack.url("/retry/x"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Http.json(response).path("backend").asText()).isEqualTo("flaky");
    assertThat(flaky.requests()).as("first try + 2 retries").isEqualTo(3);
  }

  @Test
  void givesUpAfterTheConfiguredRetries() {
    flaky.failNext(10, 503);
    HttpResponse<String> response = Http.get(stack.url("/retry/x"));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(flaky.requests()).as("first try + 3 retries").isEqualTo(4);
  }

  @Test
  void withoutRetryTheFirstFailureIsFinal() {
    flaky.failNext(1, 503);
    assertThat(Http.get(stack.url("/no-retry/x")).statusCode()).isEqualTo(503);
    assertThat(flaky.requests()).isEqualTo(1);
  }

  @Test
  void timesOutASlowUpstream() {
    slow.delay(Duration.ofSeconds(3));
    long start = System.nanoTime();
    HttpResponse<String> response = Http.get(stack.url("/timeout/x"));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
    assertThat(elapsed)
        .isGreaterThanOrEqualTo(Duration.ofMillis(450))
        .isLessThan(Duration.ofSeconds(2));
  }
}
