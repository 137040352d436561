package dev.meshgate.xds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API: {@code GET /healthz}, {@code GET /status} (JSON), {@code GET /metrics}
 * (Prometheus text). Errors are JSON too: 404 for an unknown path, 405 for another method.
 */
final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final String JSON = "application/json; charset=utf-8";
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private record Page(String contentType, Supplier<String> body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Page> pages;

  AdminServer(String bindAddress, int port, Supplier<String> status, Supplier<String> metrics)
      throws IOException {
    this.pages =
        Map.of(
            "/healthz", new Page(JSON, () -> StatusJson.object(Map.of("status", "ok"))),
            "/status", new Page(JSON, status),
            "/metrics", new Page(PROMETHEUS, metrics));
    this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      Page page = pages.get(path);
      if (page == null) {
        send(
            exchange,
            404,
            JSON,
            error("no such page: " + path + " (try /healthz, /status, /metrics)"));
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(
            exchange,
            405,
            JSON,
            error("method " + method + " not allowed on " + path + "; use GET"));
      } else {
        send(exchange, 200, page.contentType(), page.body().get());
      }
    } catch (IOException e) {
      LOG.debug("admin client went away", e);
    } catch (RuntimeException e) {
      LOG.error("admin request failed", e);
      try {
        send(exchange, 500, JSON, error("internal error: " + e));
      } catch (IOException | RuntimeException ignored) {
        // response already started; nothing more to say
      }
    }
  }

  private static String error(String message) {
    return StatusJson.object(Map.of("error", message));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
