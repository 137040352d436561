package dev.meshgate.it;

import dev.meshgate.compiler.simulate.TestRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A generated request through gateway {@code edge}, for {@link SimulatorDifferentialIT}. */
record DiffRequest(
    String method, String host, String path, List<Param> headers, List<Param> query) {
  DiffRequest {
    headers = List.copyOf(headers);
    query = List.copyOf(query);
  }

  record Param(String name, String value) {}

  /** The same request as a policy test's {@code expect … via edge} request. */
  TestRequest.ViaGateway simulated() {
    return new TestRequest.ViaGateway(
        "edge",
        method,
        host,
        path,
        headers.stream().map(h -> new TestRequest.Param(h.name(), h.value())).toList(),
        query.stream().map(q -> new TestRequest.Param(q.name(), q.value())).toList(),
        false);
  }

  /** {@code ?a=1&b=2} encoded, or "". */
  String encodedQuery() {
    if (query.isEmpty()) {
      return "";
    }
    return "?"
        + query.stream()
            .map(p -> encode(p.name()) + "=" + encode(p.value()))
            .collect(Collectors.joining("&"));
  }

  /** Name, value pairs for {@link Http#send}, the Host header first. */
  String[] headerArray() {
    List<String> all = new ArrayList<>(List.of("Host", host));
    headers.forEach(h -> {
      all.add(h.name());
      all.add(h.value());
    });
    return all.toArray(String[]::new);
  }

  DiffRequest withHeaders(List<Param> h) {
    return new DiffRequest(method, host, path, h, query);
  }

  DiffRequest withQuery(List<Param> q) {
    return new DiffRequest(method, host, path, headers, q);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return method
        + " "
        + host
        + path
        + encodedQuery()
        + headers.stream()
            .map(h -> " with header \"" + h.name() + "\" = \"" + h.value() + "\"")
            .collect(Collectors.joining());
  }
}
