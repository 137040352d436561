package dev.meshgate.compiler.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.ir.ServiceSource;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two compiled policies in the terms Envoy sees: per proxy group, which listeners, route
 * configurations, clusters, endpoint assignments and secrets are added, removed or changed, and for
 * a changed one which fields (see {@link JsonDiff} for how lists are matched). Resources are
 * compared in the canonical JSON form of {@link EnvoyOutput}, so a plan shows the same field names
 * as {@code meshgate compile} output and Envoy's config dump.
 */
public final class PolicyPlan {
  /** SDS resource names, as the server issues them (see the xds-server's IdentitySecrets). */
  static final String IDENTITY_SECRET = "meshgate.identity";

  static final String TRUST_BUNDLE_SECRET = "meshgate.trust-bundle";

  // Floats compared exactly as printed (no double round trip), as EnvoyOutput does.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private PolicyPlan() {}

  /** What changes when {@code after} replaces {@code before}. */
  public static Plan diff(CompiledPolicy before, CompiledPolicy after) {
    return diff(before.groups(), after.groups());
  }

  /**
   * The same for bare group lists: an empty {@code before} is a first deployment, where every group
   * is added.
   */
  public static Plan diff(List<ProxyResources> before, List<ProxyResources> after) {
    SortedMap<ProxyGroup, ProxyResources> old = byGroup(before);
    SortedMap<ProxyGroup, ProxyResources> now = byGroup(after);
    TreeSet<ProxyGroup> groups = new TreeSet<>(old.keySet());
    groups.addAll(now.keySet());
    List<GroupPlan> plans = new ArrayList<>();
    for (ProxyGroup group : groups) {
      Map<ResourceKind, SortedMap<String, JsonNode>> x =
          resources(Optional.ofNullable(old.get(group)));
      Map<ResourceKind, SortedMap<String, JsonNode>> y =
          resources(Optional.ofNullable(now.get(group)));
      List<ResourceChange> changes = new ArrayList<>();
      for (ResourceKind kind : ResourceKind.values()) {
        changes.addAll(compare(kind, ofKind(x, kind), ofKind(y, kind)));
      }
      Change change;
      if (!old.containsKey(group)) {
        change = Change.ADDED;
      } else if (!now.containsKey(group)) {
        change = Change.REMOVED;
      } else {
        change = changes.isEmpty() ? Change.UNCHANGED : Change.CHANGED;
      }
      plans.add(new GroupPlan(group, change, changes));
    }
    return new Plan(plans);
  }

  private static SortedMap<ProxyGroup, ProxyResources> byGroup(List<ProxyResources> groups) {
    SortedMap<ProxyGroup, ProxyResources> map = new TreeMap<>();
    groups.forEach(g -> map.put(g.group(), g));
    return map;
  }

  private static List<ResourceChange> compare(
      ResourceKind kind, SortedMap<String, JsonNode> before, SortedMap<String, JsonNode> after) {
    TreeSet<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    List<ResourceChange> changes = new ArrayList<>();
    for (String name : names) {
      Optional<JsonNode> x = Optional.ofNullable(before.get(name));
      Optional<JsonNode> y = Optional.ofNullable(after.get(name));
      Optional<String> was = x.map(JsonNode::toString);
      Optional<String> now = y.map(JsonNode::toString);
      if (x.isEmpty()) {
        changes.add(new ResourceChange(kind, name, Change.ADDED, List.of(), was, now));
      } else if (y.isEmpty()) {
        changes.add(new ResourceChange(kind, name, Change.REMOVED, List.of(), was, now));
      } else if (!x.get().equals(y.get())) {
        List<FieldChange> fields = JsonDiff.diff(x.get(), y.get());
        // Route renumbering alone is no change to Envoy's behaviour (see JsonDiff).
        if (!fields.isEmpty()) {
          changes.add(new ResourceChange(kind, name, Change.CHANGED, fields, was, now));
        }
      }
    }
    return changes;
  }

  /** One kind's resources from a map of {@link #resources}, which has every kind. */
  private static SortedMap<String, JsonNode> ofKind(
      Map<ResourceKind, SortedMap<String, JsonNode>> byKind, ResourceKind kind) {
    return Objects.requireNonNull(byKind.get(kind), kind::name);
  }

  /**
   * A group's resources by kind and name, each in canonical JSON; all kinds present, maybe empty.
   */
  private static Map<ResourceKind, SortedMap<String, JsonNode>> resources(
      Optional<ProxyResources> group) {
    Map<ResourceKind, SortedMap<String, JsonNode>> map = new EnumMap<>(ResourceKind.class);
    for (ResourceKind kind : ResourceKind.values()) {
      map.put(kind, new TreeMap<>());
    }
    if (group.isEmpty()) {
      return map;
    }
    ProxyResources resources = group.get();
    JsonNode document = parse(EnvoyOutput.json(resources));
    named(document.get("listeners"), ofKind(map, ResourceKind.LISTENER));
    named(document.get("routes"), ofKind(map, ResourceKind.ROUTE));
    named(document.get("clusters"), ofKind(map, ResourceKind.CLUSTER));
    for (ClusterEndpoints endpoints : resources.endpoints()) {
      ofKind(map, ResourceKind.ENDPOINTS).put(endpoints.cluster(), endpoints(endpoints));
    }
    resources
        .identity()
        .ifPresent(
            identity -> {
              JsonNodeFactory nodes = JsonNodeFactory.instance;
              ofKind(map, ResourceKind.SECRET)
                  .put(IDENTITY_SECRET, nodes.objectNode().put("spiffe_id", identity));
              ofKind(map, ResourceKind.SECRET)
                  .put(
                      TRUST_BUNDLE_SECRET,
                      nodes.objectNode().put("trust_domain", trustDomain(identity)));
            });
    return map;
  }

  private static void named(JsonNode array, SortedMap<String, JsonNode> into) {
    if (array != null) {
      array.forEach(resource -> into.put(resource.path("name").asText(), resource));
    }
  }

  /**
   * What an endpoint assignment is made from. For a static source that is the addresses the
   * selector picks, so moving an endpoint between subsets shows as such; for discovered services
   * the source (its instances are only known at serve time).
   */
  private static JsonNode endpoints(ClusterEndpoints endpoints) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("service", endpoints.service());
    ObjectNode selector = node.putObject("selector");
    endpoints.selector().forEach(selector::put);
    endpoints.localZone().ifPresent(zone -> node.put("local-zone", zone));
    switch (endpoints.source()) {
      case ServiceSource.Static s -> {
        ArrayNode addresses = node.putArray("static");
        s.endpoints().stream()
            .filter(e -> e.labels().entrySet().containsAll(endpoints.selector().entrySet()))
            .map(e -> (e.host().contains(":") ? "[" + e.host() + "]" : e.host()) + ":" + e.port())
            .sorted()
            .forEach(addresses::add);
      }
      case ServiceSource.Consul c -> {
        ObjectNode consul = node.putObject("consul");
        consul.put("service", c.service());
        c.datacenter().ifPresent(dc -> consul.put("datacenter", dc));
        c.tag().ifPresent(tag -> consul.put("tag", tag));
      }
      case ServiceSource.Kubernetes k -> {
        ObjectNode kubernetes = node.putObject("kubernetes");
        kubernetes.put("namespace", k.namespace());
        kubernetes.put("name", k.name());
        kubernetes.put("port", k.port());
      }
    }
    return node;
  }

  /** {@code spiffe://shop.example/ns/…} → {@code shop.example}. */
  private static String trustDomain(String spiffeId) {
    String rest =
        spiffeId.startsWith("spiffe://") ? spiffeId.substring("spiffe://".length()) : spiffeId;
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
