package dev.meshgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One HTTP/1.1 client for all tests; redirects are never followed so tests see them. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  // HTTP/1.1 explicitly: the JDK client would otherwise try an h2c upgrade on plain http.
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private Http() {}

  /** {@code headers} are name, value pairs. */
  static HttpResponse<String> get(String url, String... headers) {
    return send("GET", url, headers);
  }

  static HttpResponse<String> send(String method, String url, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(REQUEST_TIMEOUT)
            .method(
                method,
                method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
                    ? HttpRequest.BodyPublishers.ofString("{}")
                    : HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      try {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        // A pooled keep-alive connection to a port whose Envoy has since gone (the tests reuse
        // free ports) answers nothing; a GET is sent once more on a new connection, as browsers
        // do. Anything else is the test's to see.
        if (!staleConnection(request, e)) {
          throw e;
        }
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static boolean staleConnection(HttpRequest request, IOException e) {
    return (request.method().equals("GET") || request.method().equals("HEAD"))
        && String.valueOf(e.getMessage()).contains("header parser received no bytes");
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(
          "not JSON (status " + response.statusCode() + "): " + response.body(), e);
    }
  }
}
