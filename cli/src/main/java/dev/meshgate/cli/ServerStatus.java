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
   * The {@code /status} URI of the admin address {@code admin} ({@code http://HOST:PORT} or {@code
   * HOST:PORT}).
   *
   * @throws UserError (usage) when it is not such an address
   */
  static URI statusUri(String admin) {
    String base = admin.contains("://") ? admin : "http://" + admin;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    try {
      URI uri = URI.create(base + "/status");
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not http");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new UserError(
          ExitCode.USAGE, "--server " + admin + ": not a URL like http://127.0.0.1:18001");
    }
  }

  /** Connected proxies per group key, read from {@code admin}'s {@code /status}. */
  static Map<String, Integer> connectedProxies(String admin) {
    return connectedProxies(admin, statusUri(admin));
  }

  /**
   * Connected proxies per group key ({@code gateway:edge} → 3).
   *
   * @throws UserError (failure) when the server cannot be reached or answers something else
   */
  static Map<String, Integer> connectedProxies(String admin, URI uri) {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw UserError.failure(
            "--server "
                + admin
                + ": "
                + uri
                + " answered HTTP "
                + response.statusCode()
                + "; give the admin address of 'meshgate serve' (its --admin-port)");
      }
      JsonNode proxies = new ObjectMapper().readTree(response.body()).path("proxies");
      Map<String, Integer> counts = new TreeMap<>();
      for (JsonNode proxy : proxies) {
        counts.merge(proxy.path("group").asText(), 1, Integer::sum);
      }
      return counts;
    } catch (java.net.ConnectException e) {
      throw UserError.failure(
          "--server "
              + admin
              + ": nothing answers at "
              + uri.getAuthority()
              + "; is 'meshgate serve' running with that --admin-port? (or plan without --server)");
    } catch (java.net.http.HttpTimeoutException e) {
      throw UserError.failure(
          "--server "
              + admin
              + ": no answer from "
              + uri.getAuthority()
              + " within "
              + TIMEOUT.toSeconds()
              + "s; check the address and any firewall (or plan without --server)");
    } catch (IOException e) {
      throw UserError.failure(
          "--server "
              + admin
              + ": cannot read "
              + uri
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UserError.failure("interrupted while reading " + uri);
    }
  }
}
