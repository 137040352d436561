package dev.meshgate.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An upstream for traffic tests: answers every request with JSON naming itself and echoing what it
 * received ({@code backend, method, path, query, headers} with lower-cased header names), so a test
 * can tell which backend served a request and what the proxy changed. It can be told to fail the
 * next N requests, to answer slowly, and to add response headers. Two query parameters shape the
 * answer (compression, issue 13): {@code pad=N} adds a field {@code pad} of N characters (a large,
 * compressible body), {@code type=T} answers with content-type T instead of application/json.
 */
final class Backend implements AutoCloseable {
  private final String name;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private final Map<String, String> responseHeaders = new ConcurrentHashMap<>();
  private volatile Map<String, String> lastHeaders = Map.of();
  private volatile int lastBodyLength = -1;
  private final Map<String, Integer> pathStatus = new ConcurrentHashMap<>();

  private Backend(String name, HttpServer server, ExecutorService executor) {
    this.name = name;
    this.server = server;
    this.executor = executor;
  }

  static Backend start(String name) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      Backend backend = new Backend(name, server, executor);
      server.createContext("/", backend::handle);
      server.setExecutor(executor);
      server.start();
      return backend;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start backend " + name, e);
    }
  }

  String name() {
    return name;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** {@code 127.0.0.1:PORT}, as a policy's {@code source static} wants it. */
  String address() {
    return "127.0.0.1:" + port();
  }

  /** The next {@code times} requests get {@code status}; later ones succeed again. */
  void failNext(int times, int status) {
    failureStatus = status;
    failuresLeft.set(times);
  }

  /**
   * Every request for exactly {@code path} gets {@code status} until reset (a failing health path).
   */
  void failPath(String path, int status) {
    pathStatus.put(path, status);
  }

  void delay(Duration d) {
    delay.set(d);
  }

  void responseHeader(String header, String value) {
    responseHeaders.put(header, value);
  }

  int requests() {
    return requests.get();
  }

  /** The headers of the last request received (lower-case names), empty before the first. */
  Map<String, String> lastHeaders() {
    return lastHeaders;
  }

  /** How many body bytes the last request carried; -1 before the first. */
  int lastBodyLength() {
    return lastBodyLength;
  }

  /** Back to a plain, fast, healthy echo server with a zero request count. */
  void reset() {
    requests.set(0);
    failuresLeft.set(0);
    delay.set(Duration.ZERO);
    responseHeaders.clear();
    pathStatus.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      lastBodyLength = body.readAllBytes().length;
      requests.incrementAndGet();
      Duration d = delay.get();
      if (!d.isZero()) {
        try {
          Thread.sleep(d);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      ObjectNode json = Http.JSON.createObjectNode();
      json.put("backend", name);
      json.put("method", exchange.getRequestMethod());
      json.put("path", exchange.getRequestURI().getRawPath());
      json.put(
          "query",
          exchange.getRequestURI().getRawQuery() == null
              ? ""
              : exchange.getRequestURI().getRawQuery());
      Map<String, String> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      lastHeaders = Map.copyOf(headers);
      ObjectNode h = json.putObject("headers");
      headers.forEach(h::put);
      int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failureStatus : 200;
      status = pathStatus.getOrDefault(exchange.getRequestURI().getRawPath(), status);
      json.put("status", status);
      Map<String, String> shape = query(exchange.getRequestURI().getRawQuery());
      if (shape.containsKey("pad")) {
        json.put(
            "pad",
            "0123456789abcdef"
                .repeat(1 + Integer.parseInt(shape.get("pad")) / 16)
                .substring(0, Integer.parseInt(shape.get("pad"))));
      }
      byte[] bytes = Http.JSON.writeValueAsBytes(json);
      exchange
          .getResponseHeaders()
          .set("content-type", shape.getOrDefault("type", "application/json"));
      responseHeaders.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "backend " + name + " on " + address();
  }

  /** {@code a=1&b=2}, undecoded but for {@code %2F}; empty for none. */
  private static Map<String, String> query(String raw) {
    Map<String, String> out = new TreeMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq), pair.substring(eq + 1).replace("%2F", "/"));
      }
    }
    return out;
  }
}
