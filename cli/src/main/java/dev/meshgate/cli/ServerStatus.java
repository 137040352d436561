package dev.meshgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running server's admin {@code /status}, read for how many proxies of each group are connected.
 */
final class ServerStatus {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private ServerStatus() {}

  /**
   * Connected proxies per group key ({@code gateway:edge} → 3).
   *
   * @param admin {@code http://HOST:PORT} (or {@code HOST:PORT}) of the server's admin endpoint
   * @throws UserError (failure) when the server cannot be reached or answers something else
   */
  static Map<String, Integer> connectedProxies(String admin) {
    String base = admin.contains("://") ? admin : "http://" + admin;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(base + "/status");
    } catch (IllegalArgumentException e) {
      throw new UserError(
          ExitCode.USAGE, "--server " + admin + ": not a URL like http://127.0.0.1:18001");
    }
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw UserError.failure("cannot read " + uri + ": HTTP " + response.statusCode());
      }
      JsonNode proxies = new ObjectMapper().readTree(response.body()).path("proxies");
      Map<String, Integer> counts = new TreeMap<>();
      for (JsonNode proxy : proxies) {
        counts.merge(proxy.path("group").asText(), 1, Integer::sum);
      }
      return counts;
    } catch (IOException e) {
      throw UserError.failure(
          "cannot read "
              + uri
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UserError.failure("interrupted while reading " + uri);
    }
  }
}
