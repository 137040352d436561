package dev.meshgate.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in backend for the quick start: one endpoint of one service that answers every request
 * with JSON saying who it is and what it received, so a person (or a test) can see which subset
 * served a request and what the gateway changed on the way:
 *
 * <pre>
 * {"service":"catalog","endpoint":"127.0.0.1:9101","labels":{"version":"v1"},
 *  "method":"GET","path":"/items","query":"","headers":{"host":"api.example",…}}
 * </pre>
 */
public final class DemoUpstream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String service;
  private final String endpoint;
  private final SortedMap<String, String> labels;
  private final HttpServer server;
  private final ExecutorService executor;

  private DemoUpstream(String service, String host, int port, SortedMap<String, String> labels)
      throws IOException {
    this.service = service;
    this.labels = new TreeMap<>(labels);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    int bound = server.getAddress().getPort(); // the real one when port was 0
    this.endpoint = (host.contains(":") ? "[" + host + "]" : host) + ":" + bound;
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts answering on {@code host:port} ({@code port} 0 picks a free one).
   *
   * @throws IOException when the address cannot be bound (for example, it is in use)
   */
  public static DemoUpstream start(
      String service, String host, int port, SortedMap<String, String> labels) throws IOException {
    return new DemoUpstream(service, host, port, labels);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String service() {
    return service;
  }

  public String endpoint() {
    return endpoint;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream body = exchange.getRequestBody()) {
        body.transferTo(OutputStream.nullOutputStream()); // so the connection can be reused
      }
      byte[] response = describe(exchange).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("content-type", "application/json");
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  private String describe(HttpExchange exchange) throws JsonProcessingException {
    SortedMap<String, String> headers = new TreeMap<>();
    for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
      headers.merge(
          h.getKey().toLowerCase(Locale.ROOT),
          String.join(", ", h.getValue()),
          (a, b) -> a + ", " + b);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("service", service);
    json.put("endpoint", endpoint);
    json.put("labels", labels);
    json.put("method", exchange.getRequestMethod());
    json.put("path", exchange.getRequestURI().getRawPath());
    String query = exchange.getRequestURI().getRawQuery();
    json.put("query", query == null ? "" : query);
    json.put("headers", headers);
    return JSON.writeValueAsString(json) + "\n";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
