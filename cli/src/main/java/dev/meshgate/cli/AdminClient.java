package dev.meshgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A client of a running server's admin API, as the operator commands use it. */
final class AdminClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: the body as sent (printed by {@code -o json}) and parsed. */
  record Answer(String body, JsonNode json) {}

  private final String server;
  private final Optional<Path> tokenFile;

  AdminClient(String server, Optional<Path> tokenFile) {
    this.server = server;
    this.tokenFile = tokenFile;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * GETs {@code path} ({@code /status}, {@code /config/gateway:edge?type=routes}).
   *
   * @throws UserError (failure) when the server cannot be reached or refuses; its JSON error
   *     message is the error's text
   */
  Answer get(String path) {
    URI base = ServerStatus.statusUri(server);
    // Relative, so a server behind a reverse proxy at http://host/prefix works too.
    URI uri = base.resolve(path.startsWith("/") ? path.substring(1) : path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
    token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (IOException e) {
        throw UserError.failure(
            "--server "
                + server
                + ": "
                + uri
                + " answered something other than JSON (HTTP "
                + response.statusCode()
                + "); is that the admin port of 'meshgate serve'?");
      }
      if (response.statusCode() == 401) {
        throw UserError.failure(
            "--server "
                + server
                + " needs the admin token: give --token-file FILE (the server's --admin-token-file)"
                + (tokenFile.isPresent()
                    ? "; the one in " + tokenFile.get() + " was refused"
                    : ""));
      }
      if (response.statusCode() != 200) {
        throw UserError.failure(
            json.path("error").asText("HTTP " + response.statusCode() + " from " + uri));
      }
      return new Answer(response.body(), json);
    } catch (java.net.ConnectException e) {
      throw UserError.failure(
          "--server "
              + server
              + ": nothing answers at "
              + uri.getAuthority()
              + "; is 'meshgate serve' running with that --admin-port?");
    } catch (java.net.http.HttpTimeoutException e) {
      throw UserError.failure(
          "--server "
              + server
              + ": no answer from "
              + uri.getAuthority()
              + " within "
              + TIMEOUT.toSeconds()
              + "s");
    } catch (IOException e) {
      throw UserError.failure(
          "--server "
              + server
              + ": cannot read "
              + uri
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UserError.failure("interrupted while reading " + uri);
    }
  }

  private Optional<String> token() {
    if (tokenFile.isEmpty()) {
      return Optional.empty();
    }
    try {
      String token = Files.readString(tokenFile.get(), StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw UserError.failure("--token-file " + tokenFile.get() + " is empty");
      }
      return Optional.of(token);
    } catch (IOException e) {
      throw new UserError(
          ExitCode.FAILURE, "--token-file " + tokenFile.get() + ": cannot read it (" + e + ")");
    }
  }
}
