package dev.meshgate.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID provider (mock-oauth2-server, issuer {@code default}) in its own process, plus a
 * recording front for its token endpoint.
 *
 * <p>Its own process because its Netty 4.2 cannot share the test JVM with fabric8's mock Kubernetes
 * API (Vert.x on Netty 4.1); the classpath comes from the test-idp module. The front exists because
 * the provider accepts any client secret: to prove Envoy sent the one Meshgate delivered over SDS,
 * the test reads the token request the gateway made.
 */
final class OpenIdProvider implements AutoCloseable {
  /** A token request as the gateway sent it. */
  record TokenRequest(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse("");
    }
  }

  private final ChildProcess process;
  private final int port;
  private final HttpServer front;
  private final BlockingQueue<TokenRequest> tokenRequests = new LinkedBlockingQueue<>();
  private final HttpClient client = HttpClient.newHttpClient();

  private OpenIdProvider(ChildProcess process, int port, HttpServer front) {
    this.process = process;
    this.port = port;
    this.front = front;
  }

  static OpenIdProvider start(Path work) throws IOException {
    Path classpathFile = ProjectRoot.get().resolve("test-idp/target/idp-classpath.txt");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          classpathFile + " is missing: build the test-idp module (the reactor does it first)");
    }
    int port = FreePorts.next();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ChildProcess process =
        ChildProcess.start(
            "openid-provider",
            List.of(
                java,
                "-cp",
                Files.readString(classpathFile).strip(),
                "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"),
            Map.of(
                "SERVER_HOSTNAME",
                "127.0.0.1",
                "SERVER_PORT",
                String.valueOf(port),
                // The standalone server shows a login form by default; the test's browser is not
                // a person, so the provider logs it in at once, as the in-process server did.
                "JSON_CONFIG",
                "{\"interactiveLogin\": false}"),
            work.resolve("logs/openid-provider.log"),
            Duration.ofSeconds(5));
    HttpServer front = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
    OpenIdProvider provider = new OpenIdProvider(process, port, front);
    front.createContext("/", provider::forwardTokenRequest);
    front.start();
    Wait.until(
        Duration.ofSeconds(60),
        "the OpenID provider answering its discovery document",
        () -> {
          process.requireAlive("while starting");
          return provider.discoveryAnswers();
        });
    return provider;
  }

  URI issuer() {
    return URI.create("http://127.0.0.1:" + port + "/default");
  }

  URI authorizationEndpoint() {
    return URI.create(issuer() + "/authorize");
  }

  URI jwksEndpoint() {
    return URI.create(issuer() + "/jwks");
  }

  /** The token endpoint the gateway is given: the recording front, which forwards to the IdP. */
  URI tokenEndpoint() {
    return URI.create("http://127.0.0.1:" + front.getAddress().getPort() + "/default/token");
  }

  /** Drops the token requests seen so far, so the next one taken is the next one made. */
  void forgetTokenRequests() {
    tokenRequests.clear();
  }

  /** The next token request the gateway made, waiting up to {@code timeout}. */
  TokenRequest takeTokenRequest(Duration timeout) throws InterruptedException {
    TokenRequest request = tokenRequests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (request == null) {
      throw new AssertionError("the provider saw no token request within " + timeout);
    }
    return request;
  }

  private boolean discoveryAnswers() {
    try {
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void forwardTokenRequest(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      tokenRequests.add(
          new TokenRequest(
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              Map.copyOf(exchange.getRequestHeaders()),
              new String(body, StandardCharsets.UTF_8)));
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + exchange.getRequestURI()))
              .timeout(Duration.ofSeconds(10))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      for (String name : List.of("Content-Type", "Authorization", "Accept")) {
        String value = exchange.getRequestHeaders().getFirst(name);
        if (value != null) {
          forward.header(name, value);
        }
      }
      HttpResponse<byte[]> answer =
          client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      answer
          .headers()
          .firstValue("Content-Type")
          .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
      exchange.sendResponseHeaders(
          answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
      exchange.getResponseBody().write(answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forwarding a token request", e);
    }
  }

  @Override
  public void close() {
    front.stop(0);
    process.close();
  }
}
