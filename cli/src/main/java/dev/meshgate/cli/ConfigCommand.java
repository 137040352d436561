package dev.meshgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Show what a running server serves one proxy group.",
    description = {
      "Reads the admin API's /config/GROUP: the Envoy resources of each type the server serves"
          + " GROUP right now, with their versions. Tables by default (a row per route, cluster,"
          + " listener, endpoint set or secret); -o json prints the resources as Envoy's JSON."
          + " Private keys and other secret values are never shown: the server replaces them with"
          + " [redacted].",
      "GROUP is a key such as gateway:edge or sidecar:orders, or a bare name when only one group"
          + " has it.",
      "Exit 0, or 3 when the server cannot be read or has no such group."
    })
final class ConfigCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AdminOptions admin;

  @Parameters(
      index = "0",
      paramLabel = "GROUP",
      description = "gateway:NAME, sidecar:NAME or NAME.")
  String group;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      description = "Only this type: routes, clusters, listeners, endpoints or secrets.")
  Type type;

  /** The xDS types, named as /status names them. */
  enum Type {
    routes,
    clusters,
    listeners,
    endpoints,
    secrets
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String path =
        "/config/" + AdminClient.encode(group) + (type == null ? "" : "?type=" + type.name());
    AdminClient.Answer config = admin.client().get(path);
    out.print(admin.json() ? config.body() : render(config.json()));
    out.flush();
    return ExitCode.OK;
  }

  static String render(JsonNode config) {
    StringBuilder text = new StringBuilder();
    String group = config.path("group").asText();
    List<String> types = new ArrayList<>();
    config.path("types").fieldNames().forEachRemaining(types::add);
    for (String name : types) {
      JsonNode t = config.path("types").path(name);
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(group)
          .append(' ')
          .append(name)
          .append(" (version ")
          .append(t.path("version").asText())
          .append(")\n");
      Table table = table(name, t.path("resources"));
      text.append(table.isEmpty() ? "  none\n" : table.render());
    }
    return text.toString();
  }

  private static Table table(String type, JsonNode resources) {
    Table table =
        switch (type) {
          case "routes" ->
              new Table("TABLE", "VIRTUAL HOST", "DOMAINS", "ROUTE", "MATCH", "ACTION");
          case "clusters" -> new Table("CLUSTER", "DISCOVERY", "VERSION");
          case "listeners" -> new Table("LISTENER", "ADDRESS", "FILTER CHAINS", "VERSION");
          case "endpoints" -> new Table("CLUSTER", "ENDPOINTS", "VERSION");
          case "secrets" -> new Table("SECRET", "KIND", "VERSION");
          default -> new Table("NAME", "VERSION");
        };
    for (JsonNode r : resources) {
      String name = r.path("name").asText();
      String version = r.path("version").asText();
      JsonNode resource = r.path("resource");
      switch (type) {
        case "routes" -> routes(table, name, resource);
        case "clusters" ->
            table.row(
                name,
                resource.path("type").asText(resource.has("edsClusterConfig") ? "EDS" : "STATIC"),
                version);
        case "listeners" -> {
          JsonNode socket = resource.path("address").path("socketAddress");
          table.row(
              name,
              socket.path("address").asText() + ":" + socket.path("portValue").asText(),
              Integer.toString(resource.path("filterChains").size()),
              version);
        }
        case "endpoints" -> table.row(name, endpoints(resource), version);
        case "secrets" -> table.row(name, secretKind(resource), version);
        default -> table.row(name, version);
      }
    }
    return table;
  }

  private static void routes(Table table, String name, JsonNode resource) {
    for (JsonNode host : resource.path("virtualHosts")) {
      List<String> domains = new ArrayList<>();
      host.path("domains").forEach(d -> domains.add(d.asText()));
      for (JsonNode route : host.path("routes")) {
        table.row(
            name,
            host.path("name").asText(),
            String.join(",", domains),
            route.path("name").asText(),
            match(route.path("match")),
            action(route));
      }
    }
  }

  static String match(JsonNode match) {
    List<String> parts = new ArrayList<>();
    // In the policy's words where Envoy has one: a segment prefix is the policy's `/p/**`.
    for (Map.Entry<String, String> kind :
        List.of(
            Map.entry("prefix", "prefix %s"),
            Map.entry("path", "path %s"),
            Map.entry("pathSeparatedPrefix", "path %s/**"),
            Map.entry("safeRegex", "regex %s"))) {
      JsonNode value = match.path(kind.getKey());
      if (!value.isMissingNode()) {
        parts.add(
            kind.getValue()
                .formatted(value.isObject() ? value.path("regex").asText() : value.asText()));
      }
    }
    for (JsonNode header : match.path("headers")) {
      String name = header.path("name").asText();
      JsonNode exact = header.path("stringMatch").path("exact");
      parts.add(
          name.equals(":method") && !exact.isMissingNode()
              ? exact.asText()
              : "header " + name + (exact.isMissingNode() ? "" : "=" + exact.asText()));
    }
    for (JsonNode query : match.path("queryParameters")) {
      parts.add("query " + query.path("name").asText());
    }
    return parts.isEmpty() ? "*" : String.join(" ", parts);
  }

  static String action(JsonNode route) {
    if (route.has("directResponse")) {
      return "respond " + route.path("directResponse").path("status").asText();
    }
    if (route.has("redirect")) {
      return "redirect";
    }
    JsonNode action = route.path("route");
    if (action.has("cluster")) {
      return "to " + action.path("cluster").asText();
    }
    if (action.has("weightedClusters")) {
      List<String> shares = new ArrayList<>();
      for (JsonNode c : action.path("weightedClusters").path("clusters")) {
        shares.add(c.path("name").asText() + " " + c.path("weight").asText());
      }
      return "to " + String.join(", ", shares);
    }
    return "-";
  }

  private static String endpoints(JsonNode assignment) {
    List<String> addresses = new ArrayList<>();
    for (JsonNode locality : assignment.path("endpoints")) {
      for (JsonNode lb : locality.path("lbEndpoints")) {
        JsonNode socket = lb.path("endpoint").path("address").path("socketAddress");
        addresses.add(socket.path("address").asText() + ":" + socket.path("portValue").asText());
      }
    }
    return addresses.isEmpty() ? "none" : String.join(" ", addresses);
  }

  private static String secretKind(JsonNode secret) {
    if (secret.has("tlsCertificate")) {
      return "tls certificate (private key redacted)";
    }
    if (secret.has("validationContext")) {
      return "validation context (trusted CA)";
    }
    if (secret.has("genericSecret")) {
      return "generic secret (redacted)";
    }
    return "other";
  }
}
