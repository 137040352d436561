package dev.meshgate.xds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /config/GROUP}: the resources the server serves one group, per type, as Envoy's own JSON
 * (protobuf {@link JsonFormat}, {@code typed_config} unpacked). Every secret is {@link Redaction
 * redacted} before it leaves this class.
 */
final class ConfigJson {
  /** Type registries are costly to build; the set of {@code Any} types we emit is small. */
  private static final Map<String, Optional<Message>> TYPES = new ConcurrentHashMap<>();

  private ConfigJson() {}

  static String render(String group, Snapshot snapshot, List<XdsType> types) {
    ObjectNode root = StatusJson.MAPPER.createObjectNode();
    root.put("group", group);
    ObjectNode byType = root.putObject("types");
    for (XdsType type : types) {
      Map<String, VersionedResource<?>> resources = snapshot.resources(type.typeUrl());
      ObjectNode t = byType.putObject(type.label());
      t.put("version", snapshot.version(type.typeUrl()));
      ArrayNode list = t.putArray("resources");
      new TreeMap<>(resources)
          .forEach((name, versioned) -> {
            ObjectNode r = list.addObject();
            r.put("name", name);
            r.put("version", versioned.version());
            r.set("resource", Redaction.redact(type, json(versioned.resource())));
          });
    }
    try {
      return StatusJson.MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serializes", e);
    }
  }

  /** One resource as protobuf JSON; an {@code Any} of a type we cannot load says so instead. */
  static JsonNode json(Message message) {
    JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
    Set<String> unknown = new HashSet<>();
    collect(message, registry, unknown, new HashSet<>());
    try {
      String text =
          JsonFormat.printer()
              .usingTypeRegistry(registry.build())
              .omittingInsignificantWhitespace()
              .print(message);
      return StatusJson.MAPPER.readTree(text);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      ObjectNode error = StatusJson.MAPPER.createObjectNode();
      error.put("error", "cannot print as JSON (unknown types " + unknown + "): " + e.getMessage());
      return error;
    }
  }

  /** Adds the descriptor of every {@code Any} inside {@code message}, recursively. */
  private static void collect(
      Message message,
      JsonFormat.TypeRegistry.Builder registry,
      Set<String> unknown,
      Set<String> seen) {
    if (message instanceof Any any) {
      String name = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
      Optional<Message> type = TYPES.computeIfAbsent(name, ConfigJson::load);
      if (type.isEmpty()) {
        unknown.add(name);
        return;
      }
      if (seen.add(name)) {
        registry.add(type.get().getDescriptorForType());
      }
      try {
        Message inner = type.get().getParserForType().parseFrom(any.getValue());
        collect(inner, registry, unknown, seen);
      } catch (InvalidProtocolBufferException e) {
        unknown.add(name);
      }
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object item : (List<?>) field.getValue()) {
          collect((Message) item, registry, unknown, seen);
        }
      } else {
        collect((Message) field.getValue(), registry, unknown, seen);
      }
    }
  }

  /**
   * The generated class of a proto message: Envoy's are {@code io.envoyproxy.} + the full name, the
   * xDS project's (udpa, xds) {@code com.github.} + it, protobuf's own {@code com.} + it.
   */
  private static Optional<Message> load(String fullName) {
    for (String prefix : List.of("io.envoyproxy.", "com.github.", "com.")) {
      try {
        Class<?> type = Class.forName(prefix + fullName, false, ConfigJson.class.getClassLoader());
        Object instance = type.getMethod("getDefaultInstance").invoke(null);
        if (instance instanceof Message m
            && m.getDescriptorForType().getFullName().equals(fullName)) {
          return Optional.of(m);
        }
      } catch (ReflectiveOperationException | LinkageError e) {
        // try the next naming scheme
      }
    }
    return Optional.empty();
  }
}
