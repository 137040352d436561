package dev.meshgate.compiler.simulate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The request of an expectation: through a gateway, or from one mesh service to another. */
public sealed interface TestRequest {
  /** An HTTP method in upper case; GET when the expectation names none. */
  String method();

  /** The path as written (no query string; queries are in {@link #query()}). */
  String path();

  /** {@code with header} pairs, names in lower case, in the order written. */
  List<Param> headers();

  /** {@code with query} pairs, in the order written. */
  List<Param> query();

  /** {@code with jwt}: the request carries a valid token (of any provider a route requires). */
  boolean jwt();

  /** jwt (issue 12): the claims of {@code with jwt claims { … }}, in the order written. */
  Map<String, String> jwtClaims();

  /** api keys (issue 12): {@code with api-key client "acme"}: a valid key of that client. */
  Optional<String> apiKeyClient();

  /** basic auth (issue 12): {@code with basic-auth user "alice"}: that user's right password. */
  Optional<String> basicAuthUser();

  /** {@code GET api.shop.example/catalog/items via edge}. */
  record ViaGateway(
      String gateway,
      String method,
      String host,
      String path,
      List<Param> headers,
      List<Param> query,
      boolean jwt,
      Map<String, String> jwtClaims,
      Optional<String> apiKeyClient,
      Optional<String> basicAuthUser)
      implements TestRequest {
    public ViaGateway {
      headers = List.copyOf(headers);
      query = List.copyOf(query);
      jwtClaims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jwtClaims));
    }

    /** A request without a basic-auth user. */
    public ViaGateway(
        String gateway,
        String method,
        String host,
        String path,
        List<Param> headers,
        List<Param> query,
        boolean jwt,
        Map<String, String> jwtClaims,
        Optional<String> apiKeyClient) {
      this(
          gateway,
          method,
          host,
          path,
          headers,
          query,
          jwt,
          jwtClaims,
          apiKeyClient,
          Optional.empty());
    }

    /** A request without an api key. */
    public ViaGateway(
        String gateway,
        String method,
        String host,
        String path,
        List<Param> headers,
        List<Param> query,
        boolean jwt,
        Map<String, String> jwtClaims) {
      this(gateway, method, host, path, headers, query, jwt, jwtClaims, Optional.empty());
    }

    /** A request with no claims. */
    public ViaGateway(
        String gateway,
        String method,
        String host,
        String path,
        List<Param> headers,
        List<Param> query,
        boolean jwt) {
      this(gateway, method, host, path, headers, query, jwt, Map.of());
    }

    @Override
    public String toString() {
      return method
          + " "
          + host
          + path
          + TestRequest.queryString(query)
          + " via "
          + gateway
          + TestRequest.withHeaders(headers);
    }
  }

  /** {@code orders -> catalog GET /items/1}: judged by catalog's inbound authorization. */
  record Call(
      String caller,
      String callee,
      String method,
      String path,
      List<Param> headers,
      List<Param> query,
      boolean jwt,
      Map<String, String> jwtClaims,
      Optional<String> apiKeyClient,
      Optional<String> basicAuthUser)
      implements TestRequest {
    public Call {
      headers = List.copyOf(headers);
      query = List.copyOf(query);
      jwtClaims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jwtClaims));
    }

    /** A request without a basic-auth user. */
    public Call(
        String caller,
        String callee,
        String method,
        String path,
        List<Param> headers,
        List<Param> query,
        boolean jwt,
        Map<String, String> jwtClaims,
        Optional<String> apiKeyClient) {
      this(
          caller,
          callee,
          method,
          path,
          headers,
          query,
          jwt,
          jwtClaims,
          apiKeyClient,
          Optional.empty());
    }

    /** A request without an api key. */
    public Call(
        String caller,
        String callee,
        String method,
        String path,
        List<Param> headers,
        List<Param> query,
        boolean jwt,
        Map<String, String> jwtClaims) {
      this(caller, callee, method, path, headers, query, jwt, jwtClaims, Optional.empty());
    }

    /** A request with no claims. */
    public Call(
        String caller,
        String callee,
        String method,
        String path,
        List<Param> headers,
        List<Param> query,
        boolean jwt) {
      this(caller, callee, method, path, headers, query, jwt, Map.of());
    }

    @Override
    public String toString() {
      return caller
          + " -> "
          + callee
          + " "
          + method
          + " "
          + path
          + TestRequest.queryString(query)
          + TestRequest.withHeaders(headers);
    }
  }

  /** A header or query parameter: name and value. Header names are lower-cased. */
  record Param(String name, String value) {}

  /** The first value of header {@code name}. */
  default Optional<String> header(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return headers().stream().filter(h -> h.name().equals(lower)).map(Param::value).findFirst();
  }

  /** {@code ?a=1&b=2} (unencoded, for reading), or "" without query parameters. */
  static String queryString(List<Param> query) {
    if (query.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("?");
    for (int i = 0; i < query.size(); i++) {
      sb.append(i == 0 ? "" : "&")
          .append(query.get(i).name())
          .append('=')
          .append(query.get(i).value());
    }
    return sb.toString();
  }

  /** {@code with header "n" = "v"} for each header, as written in the expectation. */
  static String withHeaders(List<Param> headers) {
    StringBuilder sb = new StringBuilder();
    headers.forEach(h ->
        sb.append(" with header \"")
            .append(h.name())
            .append("\" = \"")
            .append(h.value())
            .append('"'));
    return sb.toString();
  }

  /** Headers as a map of the first value per name (what matching sees). */
  default Map<String, String> headerMap() {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    headers().forEach(h -> map.putIfAbsent(h.name(), h.value()));
    return map;
  }
}
