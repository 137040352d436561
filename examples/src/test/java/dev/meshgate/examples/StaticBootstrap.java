package dev.meshgate.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Turns one group's compiled output (exactly what {@link EnvoyOutput#json} prints, so what we check
 * is what we serve) into a static Envoy bootstrap that {@code envoy --mode validate} can load
 * without an xDS server: every HCM's RDS reference is replaced by the inlined RouteConfiguration,
 * and every EDS cluster becomes STATIC with a load assignment made from the policy's static
 * endpoints that match the cluster's selector. Inlining the route table also turns on Envoy's
 * {@code validate_clusters}, so a route naming a missing cluster fails too. Clusters that are
 * already STATIC (a sidecar's app) stay as they are. Mesh groups reference the SDS secrets {@code
 * meshgate.identity} and {@code meshgate.trust-bundle} over ADS; here those references lose their
 * {@code sds_config} (a secret with only a name is looked up among static secrets) and both secrets
 * are added statically, with a throwaway self-signed certificate, so Envoy really builds every TLS
 * context.
 */
final class StaticBootstrap {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StaticBootstrap() {}

  /** The bootstrap as JSON text (Envoy reads a {@code .json} config file as JSON). */
  static String json(ProxyResources resources, PolicyIr ir) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(bootstrap(resources, ir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode bootstrap(ProxyResources resources, PolicyIr ir) {
    ObjectNode output;
    try {
      output = (ObjectNode) JSON.readTree(EnvoyOutput.json(resources));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode bootstrap = JSON.createObjectNode();
    ObjectNode node = bootstrap.putObject("node");
    node.put("id", "meshgate-validate");
    node.put("cluster", resources.group().name());
    node.putObject("metadata").put("meshgate.role", resources.group().role().label());
    bootstrap
        .putObject("admin")
        .putObject("address")
        .putObject("socket_address")
        .put("address", "127.0.0.1")
        .put("port_value", 0);

    ObjectNode staticResources = bootstrap.putObject("static_resources");
    ArrayNode listeners = staticResources.putArray("listeners");
    for (JsonNode listener : output.withArray("listeners")) {
      ObjectNode copy = (ObjectNode) listener.deepCopy();
      inlineRoutes(copy.withArray("filter_chains"), copy, output.withArray("routes"));
      if (copy.has("default_filter_chain")) {
        ArrayNode single = JSON.createArrayNode().add(copy.get("default_filter_chain"));
        inlineRoutes(single, copy, output.withArray("routes"));
      }
      listeners.add(copy);
    }
    ArrayNode clusters = staticResources.putArray("clusters");
    Map<String, ServiceIr> services =
        ir.services().stream().collect(java.util.stream.Collectors.toMap(ServiceIr::name, s -> s));
    for (JsonNode cluster : output.withArray("clusters")) {
      String name = cluster.get("name").asText();
      if (!cluster.has("eds_cluster_config")) {
        clusters.add(cluster.deepCopy()); // STATIC already: a sidecar's local app
        continue;
      }
      JsonNode endpoints = endpointsOf(name, output.withArray("endpoints"));
      clusters.add(toStatic((ObjectNode) cluster.deepCopy(), endpoints, services));
    }
    // Gateway TLS secrets (issue 12) are served by the server from files or its CA; here the same
    // throwaway certificate stands in for each.
    java.util.Set<String> gatewaySecrets = new java.util.TreeSet<>();
    output.withArray("secrets").forEach(secret -> gatewaySecrets.add(secret.get("name").asText()));
    boolean meshSecrets = staticSecrets(staticResources, gatewaySecrets);
    ArrayNode secrets = staticResources.putArray("secrets");
    ThrowawayCertificate throwaway = ThrowawayCertificate.get();
    for (JsonNode secret : output.withArray("secrets")) {
      ObjectNode s = secrets.addObject().put("name", secret.get("name").asText());
      if (secret.has("ca-file")) {
        s.putObject("validation_context")
            .putObject("trusted_ca")
            .put("inline_string", throwaway.certificatePem());
      } else {
        ObjectNode tls = s.putObject("tls_certificate");
        tls.putObject("certificate_chain").put("inline_string", throwaway.certificatePem());
        tls.putObject("private_key").put("inline_string", throwaway.privateKeyPem());
      }
    }
    if (meshSecrets) {
      ThrowawayCertificate cert = throwaway;
      ObjectNode identity = secrets.addObject().put("name", IDENTITY).putObject("tls_certificate");
      identity.putObject("certificate_chain").put("inline_string", cert.certificatePem());
      identity.putObject("private_key").put("inline_string", cert.privateKeyPem());
      secrets
          .addObject()
          .put("name", TRUST_BUNDLE)
          .putObject("validation_context")
          .putObject("trusted_ca")
          .put("inline_string", cert.certificatePem());
    }
    return bootstrap;
  }

  static final String IDENTITY = "meshgate.identity";
  static final String TRUST_BUNDLE = "meshgate.trust-bundle";

  /**
   * Drops {@code sds_config} from every reference to the mesh secrets (ADS is not there in a static
   * bootstrap); true when there was any, so the secrets must be provided statically.
   */
  private static boolean staticSecrets(JsonNode node, java.util.Set<String> gatewaySecrets) {
    boolean found = false;
    if (node instanceof ObjectNode object) {
      JsonNode name = object.get("name");
      if (name != null && object.has("sds_config") && gatewaySecrets.contains(name.asText())) {
        object.remove("sds_config");
      }
      if (name != null
          && object.has("sds_config")
          && (name.asText().equals(IDENTITY) || name.asText().equals(TRUST_BUNDLE))) {
        object.remove("sds_config");
        found = true;
      }
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        found |= staticSecrets(field.getValue(), gatewaySecrets);
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        found |= staticSecrets(element, gatewaySecrets);
      }
    }
    return found;
  }

  private static void inlineRoutes(ArrayNode chains, ObjectNode listener, ArrayNode routes) {
    for (JsonNode chain : chains) {
      for (JsonNode filter : chain.withArray("filters")) {
        ObjectNode config = (ObjectNode) filter.get("typed_config");
        JsonNode rds = config.remove("rds");
        if (rds == null) {
          continue;
        }
        String name = rds.get("route_config_name").asText();
        JsonNode routeConfig = null;
        for (JsonNode candidate : routes) {
          if (candidate.get("name").asText().equals(name)) {
            routeConfig = candidate.deepCopy();
          }
        }
        if (routeConfig == null) {
          throw new AssertionError(
              "listener " + listener.get("name") + " uses missing route configuration " + name);
        }
        config.set("route_config", routeConfig);
      }
    }
  }

  private static JsonNode endpointsOf(String cluster, ArrayNode endpoints) {
    for (JsonNode entry : endpoints) {
      if (entry.get("cluster").asText().equals(cluster)) {
        return entry;
      }
    }
    throw new AssertionError("cluster " + cluster + " has no endpoints entry");
  }

  private static ObjectNode toStatic(
      ObjectNode cluster, JsonNode endpoints, Map<String, ServiceIr> services) {
    String name = cluster.get("name").asText();
    cluster.remove("eds_cluster_config");
    cluster.put("type", "STATIC");
    ServiceIr service = services.get(endpoints.get("service").asText());
    if (service == null) {
      throw new AssertionError(
          "cluster " + name + " names unknown service " + endpoints.get("service"));
    }
    ObjectNode assignment = cluster.putObject("load_assignment");
    assignment.put("cluster_name", name);
    ArrayNode lbEndpoints = assignment.putArray("endpoints").addObject().putArray("lb_endpoints");
    if (service.source() instanceof ServiceSource.Static source) {
      for (ServiceSource.StaticEndpoint endpoint : source.endpoints()) {
        if (matches(endpoint, endpoints.get("selector"))) {
          lbEndpoints
              .addObject()
              .putObject("endpoint")
              .putObject("address")
              .putObject("socket_address")
              .put("address", endpoint.host())
              .put("port_value", endpoint.port());
        }
      }
    }
    return cluster;
  }

  private static boolean matches(ServiceSource.StaticEndpoint endpoint, JsonNode selector) {
    for (Map.Entry<String, JsonNode> entry : selector.properties()) {
      if (!entry.getValue().asText().equals(endpoint.labels().get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
