package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's /config, /explain and /version over a real policy, and its bearer token. */
class AdminApiTest {
  static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  @TempDir Path caDir;
  MeshgateServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  void start(ServerOptions options) throws Exception {
    Files.writeString(dir.resolve("shop.mesh"), RealPolicyServerTest.POLICY);
    server = MeshgateServer.start(options);
  }

  HttpResponse<String> get(String path, Optional<String> authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path));
    authorization.ifPresent(a -> request.header("Authorization", a));
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path, Optional.empty());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return StatusJson.MAPPER.readTree(response.body());
  }

  @Test
  void configShowsWhatTheGroupIsServed() throws Exception {
    start(ServerOptions.loopback(List.of(dir), caDir));
    JsonNode routes = json("/config/edge?type=routes");
    assertThat(routes.path("group").asText()).isEqualTo("gateway:edge");
    assertThat(routes.path("types").size()).isEqualTo(1);
    JsonNode table = routes.path("types").path("routes").path("resources").get(0);
    assertThat(table.path("resource").path("virtualHosts").get(0).path("routes").size())
        .isEqualTo(2);
    assertThat(table.path("resource").toString()).contains("catalog.v2");
    JsonNode all = json("/config/gateway:edge");
    assertThat(all.path("types").fieldNames())
        .toIterable()
        .containsExactly("clusters", "endpoints", "listeners", "routes", "secrets");
    // typed_config is unpacked, not left as bytes.
    assertThat(all.path("types").path("listeners").toString()).contains("statPrefix");

    assertThat(get("/config/nothing", Optional.empty()).body())
        .contains("no group nothing; the policy's groups are gateway:edge");
    assertThat(get("/config/edge?type=bogus", Optional.empty()).statusCode()).isEqualTo(400);
  }

  @Test
  void explainNamesTheRouteAndClusters() throws Exception {
    start(ServerOptions.loopback(List.of(dir), caDir));
    String request = "GET api.example/catalog/items via edge";
    JsonNode explain =
        json("/explain?request=" + URLEncoder.encode(request, StandardCharsets.UTF_8));
    assertThat(explain.path("group").asText()).isEqualTo("gateway:edge");
    assertThat(explain.path("outcome").path("kind").asText()).isEqualTo("forwarded");
    assertThat(explain.path("route").asText()).isNotEmpty();
    assertThat(explain.path("decidedBy").path("origin").asText()).endsWith("/shop.mesh:12:5");
    assertThat(explain.path("clusters").toString())
        .isEqualTo(
            "[{\"cluster\":\"catalog.v1\",\"percent\":90.0},{\"cluster\":\"catalog.v2\",\"percent\":10.0}]");

    HttpResponse<String> bad =
        get(
            "/explain?request=" + URLEncoder.encode("GET api.example/x", StandardCharsets.UTF_8),
            Optional.empty());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("request \\\"GET api.example/x\\\"");
  }

  @Test
  void versionNamesServerAndPolicy() throws Exception {
    start(ServerOptions.loopback(List.of(dir), caDir));
    JsonNode version = json("/version");
    assertThat(version.path("server").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(version.path("policyVersion").asText()).isNotEmpty();
  }

  @Test
  void aTokenProtectsEveryPageButHealthz() throws Exception {
    Path token = dir.resolve("admin.token");
    Files.writeString(token, TOKEN + "\n");
    Path policy = Files.createDirectories(dir.resolve("policy"));
    dir = policy;
    start(ServerOptions.loopback(List.of(policy), caDir).withAdminTokenFile(token));
    for (String path : List.of("/status", "/metrics", "/version", "/config/edge", "/explain")) {
      HttpResponse<String> none = get(path, Optional.empty());
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .contains("Bearer realm=\"meshgate\"");
      assertThat(get(path, Optional.of("Bearer " + TOKEN + "x")).statusCode()).isEqualTo(401);
      assertThat(get(path, Optional.of("Bearer " + TOKEN.substring(1))).statusCode())
          .isEqualTo(401);
      assertThat(get(path, Optional.of(TOKEN)).statusCode()).isEqualTo(401);
    }
    assertThat(get("/status", Optional.of("Bearer " + TOKEN)).statusCode()).isEqualTo(200);
    assertThat(get("/healthz", Optional.empty()).statusCode()).isEqualTo(200);
  }

  @Test
  void refusesAnAdminApiBeyondLoopbackWithoutAToken() throws Exception {
    Files.writeString(dir.resolve("shop.mesh"), RealPolicyServerTest.POLICY);
    assertThatThrownBy(() ->
            MeshgateServer.start(
                ServerOptions.loopback(List.of(dir), caDir).withAdminBindAddress("0.0.0.0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--admin-token-file");
    Path shortToken = dir.resolve("short.token");
    Files.writeString(shortToken, "abc");
    assertThatThrownBy(() ->
            MeshgateServer.start(
                ServerOptions.loopback(List.of(dir), caDir).withAdminTokenFile(shortToken)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 characters");
  }

  @Test
  void tokenComparison() {
    AdminToken token = AdminToken.of(TOKEN + "\n");
    assertThat(token.accepts("Bearer " + TOKEN)).isTrue();
    assertThat(token.accepts(null)).isFalse();
    assertThat(token.accepts("")).isFalse();
    assertThat(token.accepts("bearer " + TOKEN)).isFalse();
    assertThat(token.toString()).doesNotContain(TOKEN);
    assertThat(AdminToken.loopback("127.0.0.1")).isTrue();
    assertThat(AdminToken.loopback("[::1]")).isTrue();
    assertThat(AdminToken.loopback("0.0.0.0")).isFalse();
  }
}
