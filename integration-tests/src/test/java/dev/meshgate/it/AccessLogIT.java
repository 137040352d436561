package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * access logs (issue 15): a real Envoy, configured by a real {@code meshgate serve}, writes JSON
 * lines to the file the policy names; the test reads and parses them. One server and one Envoy for
 * the class: each case writes its own policy (a new log file and a new generation, answered on
 * {@code /generation}) and starts once Envoy's active listener logs to the new file. A changed
 * access log is a changed listener: Envoy drains the old one, whose pooled connections still log to
 * the old file, so every request here goes on a connection of its own.
 */
@ExtendWith(PrintLogsOnFailure.class)
class AccessLogIT {
  private static final Duration APPLY_WITHIN = Duration.ofSeconds(20);

  /** Test Envoys flush their log files every 200 ms ({@link EnvoyProcess}). */
  private static final Duration FLUSHED_WITHIN = Duration.ofSeconds(10);

  private static final String POLICY =
      """
      service app { source static ${app} }

      gateway edge {
        listen 127.0.0.1:${port}
        access-log ${format} to file "${file}" {
          ${clauses}
        }
        host "*" {
          route /generation { respond 200 "${generation}" }
          route /missing { respond 404 }
          route /** { to app }
        }
      }
      """;

  @TempDir static Path work;
  static Backend app;
  static GatewayStack stack;
  static int port;
  static int generation;

  @BeforeAll
  static void start() {
    app = Backend.start("app");
    port = FreePorts.next();
    stack = GatewayStack.start(work, "edge", port, policy("fields method, path, status"));
    awaitServed();
  }

  @BeforeEach
  void reset() {
    app.reset();
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, app);
  }

  @Test
  void chosenFieldsAreLoggedAsJsonWithTheirValues() {
    serve(
        "fields method, path, status, duration, upstream-host, request-id, header \"x-user\","
            + " response-header \"x-cache\"");
    app.responseHeader("x-cache", "hit");

    HttpResponse<String> ok = get(stack.url("/items/1?q=2"), "x-user", "alice");
    assertThat(ok.statusCode()).isEqualTo(200);
    String requestId = Http.json(ok).path("headers").path("x-request-id").asText();
    assertThat(send("POST", stack.url("/missing")).statusCode()).isEqualTo(404);

    List<JsonNode> lines = awaitLines(2);
    JsonNode first = lines.get(0);
    assertThat(first.path("method").asText()).isEqualTo("GET");
    assertThat(first.path("path").asText()).isEqualTo("/items/1?q=2");
    assertThat(first.path("status").isNumber()).as("status is a number: %s", first).isTrue();
    assertThat(first.path("status").asInt()).isEqualTo(200);
    assertThat(first.path("duration").isNumber()).as("duration is a number: %s", first).isTrue();
    assertThat(first.path("upstream-host").asText()).isEqualTo(app.address());
    assertThat(requestId).isNotEmpty();
    assertThat(first.path("request-id").asText()).isEqualTo(requestId);
    assertThat(first.path("x-user").asText()).isEqualTo("alice");
    assertThat(first.path("x-cache").asText()).isEqualTo("hit");
    assertThat(first.size()).as("only the chosen fields: %s", first).isEqualTo(8);

    JsonNode second = lines.get(1);
    assertThat(second.path("method").asText()).isEqualTo("POST");
    assertThat(second.path("status").asInt()).isEqualTo(404);
    // No upstream and no x-user header: JSON null, not a made-up value.
    assertThat(second.path("x-user").isNull()).as("%s", second).isTrue();
  }

  @Test
  void onlyErrorsLogsOnlyResponsesOf500AndMore() {
    serve("fields path, status\n    only errors");
    app.failPath("/boom", 500);

    assertThat(get(stack.url("/fine")).statusCode()).isEqualTo(200);
    assertThat(get(stack.url("/missing")).statusCode()).isEqualTo(404);
    assertThat(get(stack.url("/boom")).statusCode()).isEqualTo(500);

    // Requests are sent one after the other, so once the 500's line is there, the lines of the
    // 200 and the 404 would be there too, had they been logged.
    List<JsonNode> lines = awaitLines(1);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).path("path").asText()).isEqualTo("/boom");
    assertThat(lines.get(0).path("status").asInt()).isEqualTo(500);
  }

  @Test
  void onlySlowerThanLogsOnlySlowRequests() {
    serve("fields path, duration\n    only slower-than 300ms");

    assertThat(get(stack.url("/fast")).statusCode()).isEqualTo(200);
    app.delay(Duration.ofMillis(600));
    assertThat(get(stack.url("/slow")).statusCode()).isEqualTo(200);

    List<JsonNode> lines = awaitLines(1);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).path("path").asText()).isEqualTo("/slow");
    assertThat(lines.get(0).path("duration").asInt()).isGreaterThanOrEqualTo(300);
  }

  @Test
  void sampleOfAHundredPercentLogsEveryRequest() {
    serve("fields path\n    sample 100%");
    for (int i = 0; i < 20; i++) {
      assertThat(get(stack.url("/all/" + i)).statusCode()).isEqualTo(200);
    }
    List<JsonNode> lines = awaitLines(20);
    assertThat(lines).extracting(l -> l.path("path").asText()).contains("/all/0", "/all/19");
  }

  @Test
  void sampleOfZeroPercentLogsNothing() {
    Path file = serve("fields path\n    sample 0%");
    for (int i = 0; i < 20; i++) {
      assertThat(get(stack.url("/none/" + i)).statusCode()).isEqualTo(200);
    }
    // Nothing can announce that nothing was written: watch the file across several of the test
    // Envoy's 200 ms flushes.
    long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
    while (System.nanoTime() < until) {
      assertThat(lines(file)).as("lines of a 0%% sample").isEmpty();
      Wait.sleep(Duration.ofMillis(100));
    }
  }

  @Test
  void aTextTemplateWritesItsLine() {
    Path file = serve("text \"%method% %path% -> %status% user=%header:x-user%\"", "");
    assertThat(get(stack.url("/t/1"), "x-user", "bob").statusCode()).isEqualTo(200);
    assertThat(get(stack.url("/missing")).statusCode()).isEqualTo(404);

    Wait.until(FLUSHED_WITHIN, "two text lines in " + file, () -> textLines(file).size() >= 2);
    // A value Envoy does not have is "-" in a text line.
    assertThat(textLines(file))
        .containsExactly("GET /t/1 -> 200 user=bob", "GET /missing -> 404 user=-");
  }

  // ------------------------------------------------------------------ helpers

  /** The current file's text lines but the generation probes'. */
  private static List<String> textLines(Path file) {
    try {
      return !Files.exists(file)
          ? List.of()
          : Files.readAllLines(file).stream()
              .filter(l -> !l.isBlank() && !l.contains("/generation"))
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path currentFile;

  /** Serves a policy whose access log has {@code clauses}, and returns its (new) log file. */
  private static Path serve(String clauses) {
    return serve("json", clauses);
  }

  private static Path serve(String format, String clauses) {
    stack.updatePolicy(policy(format, clauses));
    awaitServed();
    return currentFile;
  }

  private static String policy(String clauses) {
    return policy("json", clauses);
  }

  private static String policy(String format, String clauses) {
    generation++;
    currentFile = work.resolve("logs/access-" + generation + ".log");
    try {
      Files.createDirectories(currentFile.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Policy.render(
        POLICY,
        Map.of(
            "app",
            app.address(),
            "port",
            port,
            "file",
            currentFile.toString(),
            "clauses",
            clauses,
            "format",
            format,
            "generation",
            generation));
  }

  private static void awaitServed() {
    String expected = Integer.toString(generation);
    String file = currentFile.toString();
    Wait.until(
        APPLY_WITHIN,
        "Envoy to serve policy generation " + expected + " with its listener logging to " + file,
        () -> {
          JsonNode listeners = stack.envoy().configDump("ListenersConfigDump");
          boolean active = false;
          for (JsonNode l : listeners.path("dynamic_listeners")) {
            if (l.has("warming_state")) {
              return false;
            }
            active |= l.path("active_state").toString().contains(file);
          }
          HttpResponse<String> probe = get(stack.url("/generation"));
          return active && probe.statusCode() == 200 && probe.body().equals(expected);
        });
  }

  /** A GET on a connection of its own (see the class comment). */
  private static HttpResponse<String> get(String url, String... headers) {
    return send("GET", url, headers);
  }

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

  /** The current file's lines but the generation probes', once there are at least {@code n}. */
  private static List<JsonNode> awaitLines(int n) {
    Path file = currentFile;
    return Wait.until(
        FLUSHED_WITHIN,
        n + " access log lines in " + file,
        () -> {
          List<JsonNode> lines = lines(file);
          return lines.size() >= n ? java.util.Optional.of(lines) : java.util.Optional.empty();
        });
  }

  private static List<JsonNode> lines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode json = Http.JSON.readTree(line);
        if (!json.path("path").asText().equals("/generation")) {
          out.add(json);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
