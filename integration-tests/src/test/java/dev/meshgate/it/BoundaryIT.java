package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.brotli.dec.BrotliInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's boundary (issue 13): responses compressed with gzip or brotli by content type and
 * size, decoded here as a client would; request bodies over the limit answered 413, headers over it
 * 431; idle connections closed and idle requests answered 408. One real Envoy configured by a real
 * {@code meshgate serve}.
 */
@ExtendWith(PrintLogsOnFailure.class)
class BoundaryIT {
  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${port}
        max-request-headers 8kb
        idle-timeout 2s
        stream-idle-timeout 2s
        compress brotli, gzip types "application/json", "text/plain"

        host "*" {
          max-request-body 16kb
          route /raw/** {
            compress off
            to echo
          }
          route /stream/** {
            max-request-body none
            to echo
          }
          route /** { to echo }
        }
      }
      """;

  /** Large enough to compress (the default minimum is 1kb), small enough for one buffer. */
  private static final int PAD = 20_000;

  @TempDir static Path work;
  static Backend echo;
  static GatewayStack stack;
  static int port;

  @BeforeAll
  static void start() {
    echo = Backend.start("echo");
    port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(POLICY, Map.of("echo", echo.address(), "port", port)));
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, echo);
  }

  // ------------------------------------------------------------------ compression

  @Test
  void aLargeJsonResponseComesBackGzipForAClientThatAcceptsOnlyGzip() throws IOException {
    HttpResponse<byte[]> response = get("/big?pad=" + PAD, "accept-encoding", "gzip");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(response.body().length).isLessThan(PAD / 4);
    byte[] decoded;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      decoded = in.readAllBytes();
    }
    assertPadded(decoded);
  }

  @Test
  void aLargeJsonResponseComesBackBrotliForAClientThatAcceptsOnlyBrotli() throws IOException {
    HttpResponse<byte[]> response = get("/big?pad=" + PAD, "accept-encoding", "br");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-encoding")).contains("br");
    assertThat(response.body().length).isLessThan(PAD / 4);
    byte[] decoded;
    try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(response.body()))) {
      decoded = in.readAllBytes();
    }
    assertPadded(decoded);
  }

  @Test
  void onATieTheAlgorithmWrittenFirstWins() {
    HttpResponse<byte[]> response = get("/big?pad=" + PAD, "accept-encoding", "gzip, br");

    assertThat(response.headers().firstValue("content-encoding")).contains("br");
  }

  @Test
  void aListedTextTypeIsCompressedToo() {
    HttpResponse<byte[]> response =
        get("/big?pad=" + PAD + "&type=text%2Fplain", "accept-encoding", "gzip");

    assertThat(response.headers().firstValue("content-type")).contains("text/plain");
    assertThat(response.headers().firstValue("content-encoding")).contains("gzip");
  }

  @Test
  void aSmallResponseIsNotCompressed() throws IOException {
    HttpResponse<byte[]> response = get("/small", "accept-encoding", "gzip, br");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().length).isLessThan(1024);
    assertThat(response.headers().firstValue("content-encoding")).isEmpty();
    assertThat(Http.JSON.readTree(response.body()).path("backend").asText()).isEqualTo("echo");
  }

  @Test
  void aTypeNotListedIsNotCompressed() {
    HttpResponse<byte[]> response =
        get("/big?pad=" + PAD + "&type=application%2Foctet-stream", "accept-encoding", "gzip, br");

    assertThat(response.headers().firstValue("content-type")).contains("application/octet-stream");
    assertThat(response.headers().firstValue("content-encoding")).isEmpty();
    assertPadded(response.body());
  }

  @Test
  void aRouteWithCompressOffIsNotCompressed() {
    HttpResponse<byte[]> response = get("/raw/big?pad=" + PAD, "accept-encoding", "gzip, br");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-encoding")).isEmpty();
    assertPadded(response.body());
  }

  @Test
  void aClientThatAcceptsNoEncodingGetsThePlainBody() {
    HttpResponse<byte[]> response = get("/big?pad=" + PAD);

    assertThat(response.headers().firstValue("content-encoding")).isEmpty();
    assertPadded(response.body());
  }

  // ------------------------------------------------------------------ request limits

  @Test
  void aBodyOverTheLimitIsRefusedWith413AndNeverReachesTheBackend() {
    int before = echo.requests();

    HttpResponse<byte[]> response = post("/upload", 20 * 1024);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(echo.requests()).isEqualTo(before);
  }

  @Test
  void aBodyUnderTheLimitReachesTheBackendWhole() {
    HttpResponse<byte[]> response = post("/upload", 10 * 1024);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(echo.lastBodyLength()).isEqualTo(10 * 1024);
  }

  @Test
  void aRouteThatLiftsTheLimitTakesALargerBody() {
    HttpResponse<byte[]> response = post("/stream/upload", 20 * 1024);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(echo.lastBodyLength()).isEqualTo(20 * 1024);
  }

  @Test
  void headersOverTheLimitAreRefusedWith431() {
    HttpResponse<byte[]> response = get("/small", "x-large", "a".repeat(10 * 1024));

    assertThat(response.statusCode()).isEqualTo(431);
  }

  @Test
  void headersUnderTheLimitPass() {
    HttpResponse<byte[]> response = get("/small", "x-large", "a".repeat(4 * 1024));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeout() throws IOException {
    String stat = "http.edge_" + port + ".downstream_cx_idle_timeout";
    long before = stack.envoy().stat(stat).orElse(0);
    try (Socket socket = connect()) {
      write(socket, "GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
      InputStream in = socket.getInputStream();
      // Read the answer, then wait (blocking, bounded by the socket timeout) for Envoy to close
      // the connection, which it does once it has been idle for idle-timeout (2s), then drained
      // (Envoy's drain_timeout, 5s by default, and its delayed close, 1s).
      long start = System.nanoTime();
      String answer = readUntilClosed(in);
      Duration open = Duration.ofNanos(System.nanoTime() - start);

      assertThat(answer).startsWith("HTTP/1.1 200");
      assertThat(open).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(12));
    }
    assertThat(stack.envoy().stat(stat).orElse(0)).isEqualTo(before + 1);
  }

  @Test
  void aRequestThatStopsSendingIsAnswered408AfterTheStreamIdleTimeout() throws IOException {
    try (Socket socket = connect()) {
      long start = System.nanoTime();
      // Promises 100 bytes of body, sends 10, then nothing.
      write(socket, "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789");
      String answer = readUntilClosed(socket.getInputStream());
      Duration open = Duration.ofNanos(System.nanoTime() - start);

      assertThat(answer).startsWith("HTTP/1.1 408");
      assertThat(open).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void assertPadded(byte[] body) {
    JsonNode json;
    try {
      json = Http.JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
    }
    assertThat(json.path("backend").asText()).isEqualTo("echo");
    assertThat(json.path("pad").asText()).hasSize(PAD);
  }

  /**
   * A fresh client per request: the gateway closes idle connections after 2s, and a pooled one it
   * closed would fail a POST that the client does not retry.
   */
  private static HttpResponse<byte[]> send(HttpRequest request) {
    try (HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static HttpResponse<byte[]> get(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stack.url(path))).timeout(Http.REQUEST_TIMEOUT).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  private static HttpResponse<byte[]> post(String path, int bytes) {
    return send(
        HttpRequest.newBuilder(URI.create(stack.url(path)))
            .timeout(Http.REQUEST_TIMEOUT)
            .header("content-type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[bytes]))
            .build());
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
    socket.setSoTimeout(15_000);
    return socket;
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Everything the server sends until it closes the connection (bounded by the socket timeout). */
  private static String readUntilClosed(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
