package dev.meshgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rendered Kubernetes manifests, as YAML documents, and their schema check: each document is read
 * into fabric8's model class for its kind (a wrong type fails there), and every field the model
 * does not know (fabric8 keeps those in {@code additionalProperties}) fails the check, naming its
 * path, so a misspelt field ({@code readinesProbe}) cannot pass unnoticed.
 */
final class KubernetesManifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper MODEL =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** The fabric8 model class of each kind the chart renders (ServiceMonitor: no model here). */
  private static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
          Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
          Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
          Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
          Map.entry(
              "policy/v1/PodDisruptionBudget",
              io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
          Map.entry(
              "rbac.authorization.k8s.io/v1/ClusterRole",
              io.fabric8.kubernetes.api.model.rbac.ClusterRole.class),
          Map.entry(
              "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
              io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class),
          Map.entry(
              "rbac.authorization.k8s.io/v1/Role", io.fabric8.kubernetes.api.model.rbac.Role.class),
          Map.entry(
              "rbac.authorization.k8s.io/v1/RoleBinding",
              io.fabric8.kubernetes.api.model.rbac.RoleBinding.class));

  private KubernetesManifests() {}

  /** The non-empty documents of a multi-document YAML stream. */
  static List<ObjectNode> parse(String yaml) {
    List<ObjectNode> documents = new ArrayList<>();
    try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(yaml)) {
      for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (node instanceof ObjectNode object && !object.isEmpty()) {
          documents.add(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not YAML: " + yaml, e);
    }
    return documents;
  }

  /** {@code apiVersion/kind}, e.g. {@code apps/v1/Deployment}. */
  static String type(JsonNode document) {
    return document.path("apiVersion").asText() + "/" + document.path("kind").asText();
  }

  /** The one document of {@code kind} named {@code name}. */
  static ObjectNode only(List<ObjectNode> documents, String kind, String name) {
    List<ObjectNode> found =
        documents.stream()
            .filter(d -> d.path("kind").asText().equals(kind))
            .filter(d -> d.path("metadata").path("name").asText().equals(name))
            .toList();
    assertEquals(1, found.size(), () -> "one " + kind + " " + name + " in " + kinds(documents));
    return found.get(0);
  }

  static List<String> kinds(List<ObjectNode> documents) {
    return documents.stream().map(d -> d.path("kind").asText()).toList();
  }

  /** Fails unless every document is a known kind whose every field its fabric8 model knows. */
  static void checkSchema(List<ObjectNode> documents) {
    for (ObjectNode document : documents) {
      String type = type(document);
      String name = type + " " + document.path("metadata").path("name").asText();
      assertTrue(!document.path("metadata").path("name").asText().isEmpty(), name + ": no name");
      Class<?> model = MODELS.get(type);
      if (model == null) {
        assertEquals(
            "monitoring.coreos.com/v1/ServiceMonitor", type, "a kind this check knows: " + name);
        continue;
      }
      Object parsed;
      try {
        parsed = MODEL.treeToValue(document, model);
      } catch (JsonProcessingException e) {
        throw new AssertionError(name + " does not fit " + model.getSimpleName(), e);
      }
      List<String> unknown = new ArrayList<>();
      unknownFields(
          parsed, "", unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
      assertEquals(List.of(), unknown, name + ": fields the Kubernetes API does not have");
    }
  }

  private static void unknownFields(
      Object value, String path, List<String> unknown, Set<Object> seen) {
    if (value == null || !seen.add(value)) {
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        unknownFields(list.get(i), path + "[" + i + "]", unknown, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> unknown.add(path + "." + k));
        }
      } else {
        String field = getter.getName().substring(3);
        unknownFields(
            child,
            path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1),
            unknown,
            seen);
      }
    }
  }
}
