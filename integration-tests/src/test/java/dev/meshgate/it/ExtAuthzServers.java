package dev.meshgate.it;

import com.google.rpc.Status;
import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two real external authorization services on free loopback ports, deciding from the request header
 * {@code x-decision}: {@code allow} passes (adding {@code x-user-id} for the upstream), {@code
 * slow} passes after {@link #SLOW} (longer than any timeout the tests set), anything else is
 * refused with a status, header and body of the service's own. Each counts the checks it is asked.
 */
final class ExtAuthzServers {
  /** How long a {@code slow} decision takes. */
  static final long SLOW_MILLIS = 1500;

  private ExtAuthzServers() {}

  /** One check as the service saw it. */
  record Check(String path, Map<String, String> headers, Map<String, String> context) {}

  /**
   * A gRPC {@code envoy.service.auth.v3.Authorization} server (generated classes from
   * java-control-plane's api jar): allows with {@code x-user-id: alice}, denies with 403, {@code
   * x-authz-reason: grpc-policy} and body {@code denied by the grpc policy}.
   */
  static final class GrpcAuthz implements AutoCloseable {
    private final Server server;
    private final int port;
    private final List<Check> checks = new CopyOnWriteArrayList<>();

    private GrpcAuthz(int port) {
      this.port = port;
      this.server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
              .addService(
                  new AuthorizationGrpc.AuthorizationImplBase() {
                    @Override
                    public void check(
                        CheckRequest request, StreamObserver<CheckResponse> response) {
                      response.onNext(decide(request));
                      response.onCompleted();
                    }
                  })
              .build();
    }

    static GrpcAuthz start() {
      GrpcAuthz grpc = new GrpcAuthz(FreePorts.next());
      try {
        grpc.server.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return grpc;
    }

    private CheckResponse decide(CheckRequest request) {
      var http = request.getAttributes().getRequest().getHttp();
      checks.add(
          new Check(
              http.getPath(),
              Map.copyOf(http.getHeadersMap()),
              Map.copyOf(request.getAttributes().getContextExtensionsMap())));
      String decision = http.getHeadersMap().getOrDefault("x-decision", "");
      if (decision.equals("slow")) {
        sleep();
      }
      if (decision.equals("allow") || decision.equals("slow")) {
        return CheckResponse.newBuilder()
            .setStatus(Status.newBuilder().setCode(0 /* OK */))
            .setOkResponse(OkHttpResponse.newBuilder().addHeaders(header("x-user-id", "alice")))
            .build();
      }
      return CheckResponse.newBuilder()
          .setStatus(Status.newBuilder().setCode(7 /* PERMISSION_DENIED */))
          .setDeniedResponse(
              DeniedHttpResponse.newBuilder()
                  .setStatus(HttpStatus.newBuilder().setCode(StatusCode.Forbidden))
                  .addHeaders(header("x-authz-reason", "grpc-policy"))
                  .setBody("denied by the grpc policy"))
          .build();
    }

    private static HeaderValueOption header(String name, String value) {
      return HeaderValueOption.newBuilder()
          .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
          .build();
    }

    String address() {
      return "127.0.0.1:" + port;
    }

    int calls() {
      return checks.size();
    }

    Check last() {
      return checks.getLast();
    }

    @Override
    public void close() throws InterruptedException {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * An HTTP authorization service (the JDK's server): answers 200 with {@code x-user-id: bob} to
   * allow, 401 with {@code www-authenticate} and body {@code denied by the http policy} to refuse.
   */
  static final class HttpAuthz implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Check last = new Check("", Map.of(), Map.of());

    private HttpAuthz() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              calls.incrementAndGet();
              Map<String, String> headers = new java.util.TreeMap<>();
              exchange
                  .getRequestHeaders()
                  .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
              last = new Check(exchange.getRequestURI().getRawPath(), headers, Map.of());
              String decision = headers.getOrDefault("x-decision", "");
              if (decision.equals("slow")) {
                sleep();
              }
              if (decision.equals("allow") || decision.equals("slow")) {
                exchange.getResponseHeaders().add("x-user-id", "bob");
                exchange.getResponseHeaders().add("x-not-for-upstream", "secret");
                exchange.sendResponseHeaders(200, -1);
                return;
              }
              byte[] body = "denied by the http policy".getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().add("www-authenticate", "Bearer realm=\"test\"");
              exchange.sendResponseHeaders(401, body.length);
              exchange.getResponseBody().write(body);
            }
          });
      server.start();
    }

    static HttpAuthz start() {
      try {
        return new HttpAuthz();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String address() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    int calls() {
      return calls.get();
    }

    Check last() {
      return last;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(SLOW_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
