package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.it.OtlpReceiver.ReceivedLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * access logs to OTLP (issue 15): a real Envoy, configured by a real {@code meshgate serve}, sends
 * each request as an OpenTelemetry log record over OTLP/gRPC to a real gRPC logs receiver in the
 * test ({@link OtlpReceiver}): a json log's fields are the record's attributes, a text log's line
 * its body, and the gateway's name its resource's {@code service.name}. One server, one Envoy and
 * one receiver for the class; each case serves its own policy (a new generation, answered on {@code
 * /generation}) and sends its requests on paths of its own, so records of another case (or of a
 * draining listener) never match.
 */
@ExtendWith(PrintLogsOnFailure.class)
class AccessLogOtlpIT {
  private static final Duration APPLY_WITHIN = Duration.ofSeconds(20);

  /** Envoy's OpenTelemetry access logger flushes its batch every second. */
  private static final Duration RECEIVED_WITHIN = Duration.ofSeconds(15);

  private static final String POLICY =
      """
      service app { source static ${app} }

      gateway edge {
        listen 127.0.0.1:${port}
        access-log ${format} to otlp "${collector}" {
          ${clauses}
        }
        host "*" {
          route /generation { respond 200 "${generation}" }
          route /otlp/missing { respond 404 }
          route /** { to app }
        }
      }
      """;

  @TempDir static Path work;
  static Backend app;
  static OtlpReceiver receiver;
  static GatewayStack stack;
  static int port;
  static int generation;

  @BeforeAll
  static void start() {
    app = Backend.start("app");
    receiver = OtlpReceiver.start();
    port = FreePorts.next();
    stack = GatewayStack.start(work, "edge", port, policy("json", "fields method, path, status"));
    awaitServed();
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, receiver, app);
  }

  @Test
  void jsonFieldsAreTheAttributesOfEachRecord() {
    serve("json", "fields method, path, status, header \"x-user\"");

    assertThat(send("GET", stack.url("/otlp/json/1?q=2"), "x-user", "alice").statusCode())
        .isEqualTo(200);
    assertThat(send("POST", stack.url("/otlp/missing")).statusCode()).isEqualTo(404);

    ReceivedLog ok = awaitRecord(r -> r.attributes().get("path").equals("/otlp/json/1?q=2"));
    assertThat(ok.service()).isEqualTo("edge");
    assertThat(ok.attributes())
        .containsEntry("method", "GET")
        .containsEntry("status", "200")
        .containsEntry("x-user", "alice");
    ReceivedLog missing = awaitRecord(r -> r.attributes().get("path").equals("/otlp/missing"));
    assertThat(missing.attributes()).containsEntry("method", "POST").containsEntry("status", "404");
    // No x-user header: "-", as in a text line.
    assertThat(missing.attributes()).containsEntry("x-user", "-");
    assertThat(missing.service()).isEqualTo("edge");
  }

  @Test
  void aTextTemplateIsTheBodyOfEachRecord() {
    serve("text \"%method% %path% -> %status%\"", "");

    assertThat(send("GET", stack.url("/otlp/text/1")).statusCode()).isEqualTo(200);
    assertThat(send("DELETE", stack.url("/otlp/missing")).statusCode()).isEqualTo(404);

    ReceivedLog ok = awaitRecord(r -> r.body().equals("GET /otlp/text/1 -> 200"));
    assertThat(ok.service()).isEqualTo("edge");
    awaitRecord(r -> r.body().equals("DELETE /otlp/missing -> 404"));
  }

  @Test
  void onlyErrorsSendsOnlyResponsesOf500AndMore() {
    serve("json", "fields method, path, status\n    only errors");
    app.failPath("/otlp/errors/boom", 500);

    assertThat(send("GET", stack.url("/otlp/errors/fine")).statusCode()).isEqualTo(200);
    assertThat(send("GET", stack.url("/otlp/errors/boom")).statusCode()).isEqualTo(500);

    ReceivedLog boom = awaitRecord(r -> r.attributes().get("path").equals("/otlp/errors/boom"));
    assertThat(boom.attributes()).containsEntry("status", "500");
    // The test Envoy has one worker (--concurrency 1), whose logger sends its records in order on
    // one gRPC stream: once the 500's record is there, the 200's would be too, had it been sent.
    assertThat(receiver.logs())
        .noneMatch(r -> "/otlp/errors/fine".equals(r.attributes().get("path")));
  }

  // ------------------------------------------------------------------ helpers

  private static ReceivedLog awaitRecord(Predicate<ReceivedLog> matches) {
    return Wait.until(
        RECEIVED_WITHIN,
        "a log record at " + receiver,
        () -> {
          for (ReceivedLog r : receiver.logs()) {
            if (r.attributes().containsKey("path") || !r.body().isEmpty()) {
              if (matchesSafely(matches, r)) {
                return Optional.of(r);
              }
            }
          }
          return Optional.empty();
        });
  }

  private static boolean matchesSafely(Predicate<ReceivedLog> matches, ReceivedLog r) {
    try {
      return matches.test(r);
    } catch (NullPointerException e) {
      return false;
    }
  }

  private static void serve(String format, String clauses) {
    stack.updatePolicy(policy(format, clauses));
    awaitServed();
  }

  private static String policy(String format, String clauses) {
    generation++;
    return Policy.render(
        POLICY,
        Map.of(
            "app",
            app.address(),
            "port",
            port,
            "collector",
            receiver.address(),
            "clauses",
            clauses,
            "format",
            format,
            "generation",
            generation));
  }

  private static void awaitServed() {
    String expected = Integer.toString(generation);
    Wait.until(
        APPLY_WITHIN,
        "Envoy to serve policy generation " + expected,
        () -> {
          for (var l : stack.envoy().configDump("ListenersConfigDump").path("dynamic_listeners")) {
            if (l.has("warming_state")) {
              return false;
            }
          }
          HttpResponse<String> probe = send("GET", stack.url("/generation"));
          return probe.statusCode() == 200 && probe.body().equals(expected);
        });
  }

  /** A request on a connection of its own: a draining listener's connections log the old way. */
  private static HttpResponse<String> send(String method, String url, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Http.REQUEST_TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
