package dev.meshgate.xds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A client of the admin HTTP API. */
final class Admin {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;

  Admin(int port) {
    this.port = port;
  }

  HttpResponse<String> request(String method, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode status() throws IOException, InterruptedException {
    HttpResponse<String> response = request("GET", "/status");
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "/status answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  String metrics() throws IOException, InterruptedException {
    return request("GET", "/metrics").body();
  }

  /** The value of one Prometheus sample, e.g. {@code meshgate_xds_nacks_total{type="clusters"}}. */
  double metric(String name, String labels) throws IOException, InterruptedException {
    String text = metrics();
    Pattern p =
        Pattern.compile(
            "(?m)^"
                + Pattern.quote(name)
                + (labels.isEmpty() ? "" : "\\{" + Pattern.quote(labels) + ",?\\}")
                + " (\\S+)");
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no sample " + name + "{" + labels + "} in\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }

  /** Polls /status until {@code condition} holds (state that changes asynchronously). */
  JsonNode awaitStatus(Predicate<JsonNode> condition) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    JsonNode status = status();
    while (!condition.test(status)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "status never reached the expected state:\n" + status.toPrettyString());
      }
      Thread.sleep(20);
      status = status();
    }
    return status;
  }
}
