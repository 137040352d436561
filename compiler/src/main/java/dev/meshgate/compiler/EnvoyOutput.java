package dev.meshgate.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.meshgate.compiler.translate.EnvoyTranslator;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One proxy group's Envoy resources as a document people and tools can diff:
 *
 * <pre>
 * {"group": "gateway:edge", ["identity": "spiffe://…",] "listeners": [...], "routes": [...], "clusters": [...],
 *  "endpoints": [{"cluster", "service", "selector"}], ["secrets": [{"name", files…}]]}
 * </pre>
 *
 * Resources are printed with protobuf's canonical JSON mapping but proto field names ({@code
 * stat_prefix}, as in Envoy's docs and config dumps), in field-number order, map keys sorted,
 * default values omitted. Same input, byte-identical output, on every platform ("\n" line ends, no
 * locale or map-order dependence).
 */
public final class EnvoyOutput {
  private static final JsonFormat.Printer PROTO_PRINTER =
      JsonFormat.printer()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder().add(EnvoyTranslator.packedTypes()).build())
          .preservingProtoFieldNames()
          .sortingMapKeys()
          .omittingInsignificantWhitespace();

  // Floats stay exactly as the proto printer wrote them (no double round trip).
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  private EnvoyOutput() {}

  /** Pretty JSON (two-space indent, trailing newline). */
  public static String json(ProxyResources resources) {
    return print(tree(resources));
  }

  /**
   * Any JSON document in the layout of {@link #json} (two-space indent, {@code "key": value},
   * {@code []} and {@code {}} when empty, trailing newline), so every report Meshgate prints reads
   * the same.
   */
  public static String print(JsonNode document) {
    try {
      return JSON.writer(PRETTY).writeValueAsString(document) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads JSON keeping numbers exactly as written (no double round trip), as {@link #json} does.
   */
  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same content as {@link #json}, as block YAML (for golden files and reading). */
  public static String yaml(ProxyResources resources) {
    try {
      return YAML.writeValueAsString(tree(resources));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode tree(ProxyResources resources) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode root = nodes.objectNode();
    root.put("group", resources.group().key());
    resources.identity().ifPresent(identity -> root.put("identity", identity));
    root.set("listeners", messages(resources.listeners()));
    root.set("routes", messages(resources.routes()));
    root.set("clusters", messages(resources.clusters()));
    ArrayNode endpoints = root.putArray("endpoints");
    for (ClusterEndpoints cluster : resources.endpoints()) {
      ObjectNode entry = endpoints.addObject();
      entry.put("cluster", cluster.cluster());
      entry.put("service", cluster.service());
      ObjectNode selector = entry.putObject("selector");
      cluster.selector().forEach(selector::put); // a SortedMap: key order is fixed
    }
    if (!resources.secrets().isEmpty()) {
      root.set("secrets", secrets(resources.secrets()));
    }
    return root;
  }

  /** Where each SDS secret comes from: names and file paths, never content. */
  private static ArrayNode secrets(List<GatewaySecret> secrets) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (GatewaySecret secret : secrets) {
      ObjectNode entry = array.addObject();
      entry.put("name", secret.name());
      switch (secret) {
        case GatewaySecret.CertificateFiles f -> {
          entry.put("certificate-file", f.chainFile());
          entry.put("key-file", f.keyFile());
        }
        case GatewaySecret.IssuedCertificate i -> {
          entry.put("issued-by", "built-in-ca");
          i.dnsNames().forEach(entry.putArray("dns-names")::add);
        }
        case GatewaySecret.TrustedCaFile c -> entry.put("ca-file", c.caFile());
        case GatewaySecret.ApiKeysFile k -> entry.put("keys-file", k.keysFile());
        case GatewaySecret.ApiKeysKubernetesSecret k ->
            entry.put("keys-kubernetes-secret", k.namespace() + "/" + k.secretName());
        case GatewaySecret.BasicAuthUsersKubernetesSecret u ->
            entry.put("users-kubernetes-secret", u.namespace() + "/" + u.secretName());
        case GatewaySecret.OpaqueSecret o -> source(entry, o.source()); // oidc login (issue 12)
        case GatewaySecret.BasicAuthUsersFile u -> entry.put("users-file", u.usersFile());
      }
    }
    return array;
  }

  private static void source(ObjectNode entry, GatewaySecret.Source source) {
    switch (source) {
      case GatewaySecret.Source.File f -> entry.put("file", f.path());
      case GatewaySecret.Source.Env e -> entry.put("env", e.variable());
      case GatewaySecret.Source.Derived d -> {
        entry.put("derived", d.label());
        source(entry.putObject("from"), d.from());
      }
    }
  }

  private static ArrayNode messages(List<? extends MessageOrBuilder> messages) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (MessageOrBuilder message : messages) {
      array.add(message(message));
    }
    return array;
  }

  private static JsonNode message(MessageOrBuilder message) {
    try {
      // Jackson keeps object keys in the order read, so the proto printer's order survives.
      return JSON.readTree(PROTO_PRINTER.print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "an Any holds a type missing from EnvoyTranslator.packedTypes(): " + e.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
