package dev.meshgate.xds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API: {@code GET /healthz}, {@code /status} (JSON), {@code /metrics} (Prometheus
 * text), {@code /version}, {@code /config/GROUP} and {@code /explain} (see {@link AdminApi}).
 * Errors are JSON too: 404 for an unknown path, 405 for another method. With a {@link AdminToken},
 * every page but {@code /healthz} and {@code /ready} needs {@code Authorization: Bearer TOKEN} (401
 * otherwise).
 */
final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  static final String JSON = "application/json; charset=utf-8";
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  /** The one page a liveness probe reads: open even when a token protects the rest. */
  static final String HEALTHZ = "/healthz";

  /** The page a readiness probe reads (503 while draining): open like {@link #HEALTHZ}. */
  static final String READY = "/ready";

  /** A request's path (after the page's prefix for prefix pages) and query parameters. */
  record Request(String path, Map<String, String> query) {}

  record Answer(int status, String contentType, String body) {
    static Answer json(String body) {
      return new Answer(200, JSON, body);
    }

    static Answer error(int status, String message) {
      return new Answer(status, JSON, StatusJson.object(Map.of("error", message)));
    }
  }

  /** One page; a key ending in "/" in the page map serves every path below it. */
  interface Page {
    Answer answer(Request request);

    static Page of(String contentType, Supplier<String> body) {
      return request -> new Answer(200, contentType, body.get());
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Page> pages;
  private final Optional<AdminToken> token;

  AdminServer(String bindAddress, int port, Supplier<String> status, Supplier<String> metrics)
      throws IOException {
    this(
        bindAddress,
        port,
        Optional.empty(),
        Map.of(
            "/status", Page.of(JSON, status),
            "/metrics", Page.of(PROMETHEUS, metrics)));
  }

  AdminServer(String bindAddress, int port, Optional<AdminToken> token, Map<String, Page> pages)
      throws IOException {
    Map<String, Page> all = new TreeMap<>(pages);
    all.put(HEALTHZ, Page.of(JSON, () -> StatusJson.object(Map.of("status", "ok"))));
    this.pages = Map.copyOf(all);
    this.token = token;
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
      Optional<Map.Entry<String, Page>> page = find(path);
      if (!path.equals(HEALTHZ)
          && !path.equals(READY)
          && token.isPresent()
          && !token.get().accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"meshgate\"");
        send(
            exchange,
            Answer.error(
                401,
                "this admin API needs a token: send 'Authorization: Bearer TOKEN' (the content of"
                    + " the server's --admin-token-file; meshgate takes --token-file)"));
      } else if (page.isEmpty()) {
        send(
            exchange,
            Answer.error(
                404,
                "no such page: "
                    + path
                    + " (try /healthz, /ready, /status, /metrics, /version, /config/GROUP, /explain)"));
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(
            exchange,
            Answer.error(405, "method " + method + " not allowed on " + path + "; use GET"));
      } else {
        String key = page.get().getKey();
        String rest = key.endsWith("/") ? path.substring(key.length()) : path;
        send(
            exchange,
            page.get()
                .getValue()
                .answer(new Request(rest, query(exchange.getRequestURI().getRawQuery()))));
      }
    } catch (IOException e) {
      LOG.debug("admin client went away", e);
    } catch (RuntimeException e) {
      LOG.error("admin request failed", e);
      try {
        send(exchange, Answer.error(500, "internal error: " + e));
      } catch (IOException | RuntimeException ignored) {
        // response already started; nothing more to say
      }
    }
  }

  private Optional<Map.Entry<String, Page>> find(String path) {
    Page exact = pages.get(path);
    if (exact != null) {
      return Optional.of(Map.entry(path, exact));
    }
    return pages.entrySet().stream()
        .filter(e -> e.getKey().endsWith("/") && path.startsWith(e.getKey()))
        .findFirst();
  }

  static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(answer.status(), head ? -1 : bytes.length);
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
