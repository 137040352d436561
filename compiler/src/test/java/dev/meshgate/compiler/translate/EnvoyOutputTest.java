package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.testing.HandBuiltIr;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvoyOutputTest {
  private final ProxyResources edge =
      EnvoyTranslator.translate(HandBuiltIr.allFeatures()).stream()
          .filter(g -> g.group().name().equals("edge"))
          .findFirst()
          .orElseThrow();

  @Test
  void sameInputGivesByteIdenticalOutput() {
    ProxyResources again =
        EnvoyTranslator.translate(HandBuiltIr.allFeatures()).stream()
            .filter(g -> g.group().name().equals("edge"))
            .findFirst()
            .orElseThrow();
    assertThat(EnvoyOutput.json(again)).isEqualTo(EnvoyOutput.json(edge));
    assertThat(EnvoyOutput.yaml(again)).isEqualTo(EnvoyOutput.yaml(edge));
  }

  @Test
  void jsonDocumentShape() throws Exception {
    String json = EnvoyOutput.json(edge);
    JsonNode root = new ObjectMapper().readTree(json);
    assertThat(root.fieldNames())
        .toIterable()
        .containsExactly("group", "listeners", "routes", "clusters", "endpoints");
    assertThat(root.get("group").asText()).isEqualTo("gateway:edge");
    assertThat(root.get("listeners")).hasSize(2);
    assertThat(root.get("listeners").get(0).get("name").asText()).isEqualTo("edge:8080");
    // Proto field names and fully printed Any payloads, as Envoy's own docs and dumps show them.
    JsonNode hcm =
        root.get("listeners")
            .get(0)
            .get("filter_chains")
            .get(0)
            .get("filters")
            .get(0)
            .get("typed_config");
    assertThat(hcm.get("@type").asText())
        .isEqualTo(
            "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager");
    assertThat(hcm.get("stat_prefix").asText()).isEqualTo("edge_8080");
    assertThat(
            root.get("clusters")
                .get(3)
                .get("typed_extension_protocol_options")
                .get("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                .get("@type")
                .asText())
        .isEqualTo("type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
    JsonNode endpoint = root.get("endpoints").get(1);
    assertThat(endpoint.get("cluster").asText()).isEqualTo("catalog.v1");
    assertThat(endpoint.get("service").asText()).isEqualTo("catalog");
    assertThat(endpoint.get("selector").get("version").asText()).isEqualTo("v1");
    assertThat(json).endsWith("}\n").doesNotContain("\r").contains("\"group\": \"gateway:edge\"");
  }

  @Test
  void yamlHasTheSameContentAsJson() throws Exception {
    JsonNode fromJson = new ObjectMapper().readTree(EnvoyOutput.json(edge));
    JsonNode fromYaml = new YAMLMapper().readTree(EnvoyOutput.yaml(edge));
    assertThat(fromYaml).isEqualTo(fromJson);
  }

  @Test
  void yamlQuotesWhatYamlWouldMisread() throws Exception {
    String yaml = EnvoyOutput.yaml(edge);
    // "*" (alias), "@type" (reserved indicator), "true" (bool) must come back as strings.
    JsonNode root = new YAMLMapper().readTree(yaml);
    assertThat(root.at("/routes/0/virtual_hosts/0/domains/0").isTextual()).isTrue();
    assertThat(
            root.at("/routes/0/virtual_hosts/1/routes/1/match/headers/1/string_match/exact")
                .asText())
        .isEqualTo("true");
    assertThat(
            root.at("/routes/0/virtual_hosts/1/routes/1/match/headers/1/string_match/exact")
                .isTextual())
        .isTrue();
    assertThat(yaml).doesNotStartWith("---");
  }

  @Test
  void emptyGroupStillHasEveryList() throws Exception {
    var empty = new ProxyResources(edge.group(), List.of(), List.of(), List.of(), List.of());
    JsonNode root = new ObjectMapper().readTree(EnvoyOutput.json(empty));
    assertThat(root.get("routes").isArray()).isTrue();
    assertThat(root.get("endpoints")).isEmpty();
  }
}
