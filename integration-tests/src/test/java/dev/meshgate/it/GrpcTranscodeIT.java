package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.it.bookstore.Book;
import dev.meshgate.it.bookstore.BookstoreGrpc;
import dev.meshgate.it.bookstore.GetBookRequest;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC-JSON transcoding and gRPC-Web (issue 13) through a real Envoy configured by a real {@code
 * meshgate serve}, in front of a real grpc-java server ({@code src/test/proto/.../bookstore.proto},
 * whose descriptor set the build writes with protoc and this test copies next to the policy): JSON
 * posted to {@code /bookstore.Bookstore/GetBook} and a {@code GET /v1/books/{id}} REST path (a
 * {@code google.api.http} annotation) come back as the gRPC answer's JSON, with the print options
 * of their route; a gRPC error comes back as its HTTP status with a {@code google.rpc.Status} body;
 * a method the service lacks is Envoy's 404 and never reaches the server; a gRPC-Web request framed
 * by hand gets a gRPC-Web answer with its {@code grpc-status} trailer in the body. One Envoy and
 * one server serve every case.
 */
@ExtendWith(PrintLogsOnFailure.class)
class GrpcTranscodeIT {
  private static final String POLICY =
      """
      service bookstore {
        source static ${bookstore}
        protocol grpc
      }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /probe { respond 200 "ok" }
          route POST /bookstore.Bookstore/** {
            grpc-json descriptor "bookstore.pb" services "bookstore.Bookstore" preserve-proto-field-names always-print-primitive-fields
            grpc-web
            to bookstore
          }
          route GET /v1/** {
            grpc-json descriptor "bookstore.pb" services "bookstore.Bookstore"
            to bookstore
          }
        }
      }
      """;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  @org.junit.jupiter.api.io.TempDir static Path work;
  static Bookstore bookstore;
  static GatewayStack stack;

  @BeforeAll
  static void start() throws IOException {
    bookstore = Bookstore.start();
    Path policyDir = Files.createDirectories(work.resolve("policy"));
    Files.copy(
        ProjectRoot.get().resolve("integration-tests/target/test-descriptors/bookstore.pb"),
        policyDir.resolve("bookstore.pb"));
    int port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(POLICY, Map.of("bookstore", bookstore.address(), "port", port)));
    Wait.until(
        Duration.ofSeconds(30),
        "the routes to be served",
        () -> Http.get(stack.url("/probe")).statusCode() == 200);
    // The first call opens Envoy's HTTP/2 connection to the server; start once one went through.
    Wait.until(
        Duration.ofSeconds(30),
        "a first transcoded call",
        () -> postJson("/bookstore.Bookstore/GetBook", "{\"id\": 1}").statusCode() == 200);
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, bookstore);
  }

  @Test
  void jsonPostedToTheMethodPathComesBackAsTheAnswersJson() {
    HttpResponse<String> response = postJson("/bookstore.Bookstore/GetBook", "{\"id\": 7}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode book = Http.json(response);
    // int64 is a string in proto3 JSON; this route preserves proto field names and prints the
    // primitive fields that hold their default (out_of_print: false).
    assertThat(book.path("id").asText()).isEqualTo("7");
    assertThat(book.path("title").asText()).isEqualTo("Book 7");
    assertThat(book.path("page_count").asInt()).isEqualTo(70);
    assertThat(book.has("out_of_print")).as(book.toString()).isTrue();
    assertThat(book.path("out_of_print").asBoolean(true)).isFalse();
    assertThat(bookstore.last.get()).isEqualTo("GetBook 7");
  }

  @Test
  void anAnnotatedRestPathReachesItsMethodWithTheRoutesOwnPrintOptions() {
    HttpResponse<String> response = Http.get(stack.url("/v1/books/12"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode book = Http.json(response);
    assertThat(book.path("id").asText()).isEqualTo("12");
    assertThat(book.path("pageCount").asInt()).as(book.toString()).isEqualTo(120);
    assertThat(book.has("page_count")).isFalse();
    assertThat(book.has("outOfPrint")).as("defaults are left out here").isFalse();
    assertThat(bookstore.last.get()).isEqualTo("FindBook 12");
  }

  @Test
  void aGrpcErrorBecomesItsHttpStatusWithAStatusBody() {
    HttpResponse<String> response = postJson("/bookstore.Bookstore/GetBook", "{\"id\": 404}");

    // NOT_FOUND (5) is HTTP 404, as Envoy maps gRPC codes; the body is a google.rpc.Status.
    assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    JsonNode status = Http.json(response);
    assertThat(status.path("code").asInt()).isEqualTo(5);
    assertThat(status.path("message").asText()).isEqualTo("no book 404");

    HttpResponse<String> rest = Http.get(stack.url("/v1/books/404"));
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(404);
  }

  @Test
  void aMethodTheServiceLacksIsEnvoys404AndNeverReachesTheServer() {
    int before = bookstore.calls.get();
    HttpResponse<String> response = postJson("/bookstore.Bookstore/BurnBook", "{\"id\": 1}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    assertThat(bookstore.calls.get()).isEqualTo(before);
    HttpResponse<String> rest = Http.get(stack.url("/v1/shelves/1"));
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(404);
    assertThat(bookstore.calls.get()).isEqualTo(before);
  }

  @Test
  void aGrpcWebRequestGetsAGrpcWebAnswerWithItsTrailersInTheBody() {
    byte[] message = GetBookRequest.newBuilder().setId(21).build().toByteArray();
    HttpResponse<byte[]> response =
        send(
            HttpRequest.newBuilder(URI.create(stack.url("/bookstore.Bookstore/GetBook")))
                .timeout(Http.REQUEST_TIMEOUT)
                .header("content-type", "application/grpc-web+proto")
                .header("x-grpc-web", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(frame(0, message)))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/grpc-web"));
    ByteBuffer body = ByteBuffer.wrap(response.body());
    // A data frame (flag 0) holding the Book, then a trailer frame (flag 0x80) of header lines.
    assertThat(body.get()).isEqualTo((byte) 0);
    byte[] data = new byte[body.getInt()];
    body.get(data);
    Book book = parse(data);
    assertThat(book.getId()).isEqualTo(21);
    assertThat(book.getTitle()).isEqualTo("Book 21");
    assertThat(body.get()).isEqualTo((byte) 0x80);
    byte[] trailers = new byte[body.getInt()];
    body.get(trailers);
    assertThat(new String(trailers, StandardCharsets.US_ASCII)).contains("grpc-status:0");
    assertThat(body.hasRemaining()).isFalse();
    assertThat(bookstore.last.get()).isEqualTo("GetBook 21");
  }

  /** A gRPC-Web message frame: one flag byte, a big-endian length, the bytes. */
  private static byte[] frame(int flag, byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(flag);
    out.writeBytes(ByteBuffer.allocate(4).putInt(message.length).array());
    out.writeBytes(message);
    return out.toByteArray();
  }

  private static Book parse(byte[] bytes) {
    try {
      return Book.parseFrom(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> postJson(String path, String json) {
    return Http.send(
        HttpRequest.newBuilder(URI.create(stack.url(path)))
            .timeout(Http.REQUEST_TIMEOUT)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private static HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The grpc-java backend: a book for any id, NOT_FOUND for 404; counts and names each call. */
  static final class Bookstore extends BookstoreGrpc.BookstoreImplBase implements AutoCloseable {
    final AtomicInteger calls = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicReference<String> last =
        new java.util.concurrent.atomic.AtomicReference<>("");
    private Server server;

    static Bookstore start() throws IOException {
      Bookstore bookstore = new Bookstore();
      bookstore.server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(bookstore)
              .build()
              .start();
      return bookstore;
    }

    String address() {
      return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void getBook(GetBookRequest request, StreamObserver<Book> answer) {
      answer("GetBook", request, answer);
    }

    @Override
    public void findBook(GetBookRequest request, StreamObserver<Book> answer) {
      answer("FindBook", request, answer);
    }

    private void answer(String method, GetBookRequest request, StreamObserver<Book> answer) {
      calls.incrementAndGet();
      last.set(method + " " + request.getId());
      if (request.getId() == 404) {
        answer.onError(Status.NOT_FOUND.withDescription("no book 404").asRuntimeException());
        return;
      }
      answer.onNext(
          Book.newBuilder()
              .setId(request.getId())
              .setTitle("Book " + request.getId())
              .setPageCount((int) request.getId() * 10)
              .build());
      answer.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
