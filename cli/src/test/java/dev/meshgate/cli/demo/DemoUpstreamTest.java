package dev.meshgate.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DemoUpstreamTest {

  @Test
  void answersWithWhoItIsAndWhatItReceived() throws Exception {
    try (DemoUpstream upstream =
        DemoUpstream.start("catalog", "127.0.0.1", 0, new TreeMap<>(Map.of("version", "v2")))) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + upstream.port() + "/items/42?q=a%20b&x=1"))
                      .header("X-Via", "edge")
                      .POST(HttpRequest.BodyPublishers.ofString("payload"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).contains("application/json");
      JsonNode json = new ObjectMapper().readTree(r.body());
      assertThat(json.get("service").asText()).isEqualTo("catalog");
      assertThat(json.get("endpoint").asText()).isEqualTo("127.0.0.1:" + upstream.port());
      assertThat(json.get("labels").get("version").asText()).isEqualTo("v2");
      assertThat(json.get("method").asText()).isEqualTo("POST");
      assertThat(json.get("path").asText()).isEqualTo("/items/42");
      assertThat(json.get("query").asText()).isEqualTo("q=a%20b&x=1");
      assertThat(json.get("headers").get("x-via").asText()).isEqualTo("edge");
      assertThat(json.get("headers").has("X-Via")).isFalse();
      assertThat(r.body()).startsWith("{\"service\":\"catalog\",\"endpoint\":");
    }
  }
}
