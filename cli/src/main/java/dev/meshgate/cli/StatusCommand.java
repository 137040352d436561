package dev.meshgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Show every proxy connected to a running server and whether it is in sync.",
    description = {
      "Reads the admin API's /status. One row per proxy: its group, and per xDS type whether it"
          + " runs what the server serves its group: SYNCED (ACKed the served version), NACKED"
          + " (rejected the served version; the reason follows the table), STALE (ACKed an older"
          + " version, or none yet), - (not served to this group). See docs/operations.md.",
      "Exit 0 when every proxy is in sync, 1 when one is not, 3 when the server cannot be read."
    })
final class StatusCommand implements Callable<Integer> {
  static final List<String> TYPES =
      List.of("clusters", "endpoints", "listeners", "routes", "secrets");

  @Spec CommandSpec spec;

  @Mixin AdminOptions admin;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    AdminClient.Answer status = admin.client().get("/status");
    out.print(admin.json() ? status.body() : render(status.json()));
    out.flush();
    return inSync(status.json()) ? ExitCode.OK : ExitCode.POLICY_ERRORS;
  }

  /** Whether every proxy is SYNCED (or not served) on every type. */
  static boolean inSync(JsonNode status) {
    for (JsonNode proxy : status.path("proxies")) {
      for (String type : TYPES) {
        String state = state(status, proxy, type);
        if (!state.equals("SYNCED") && !state.equals("-")) {
          return false;
        }
      }
    }
    return true;
  }

  /** The table, the NACK reasons, and a line on the policy. */
  static String render(JsonNode status) {
    StringBuilder text = new StringBuilder();
    JsonNode reload = status.path("policy").path("lastReload");
    text.append("policy ")
        .append(status.path("policy").path("version").asText())
        .append(", last reload ")
        .append(
            reload.path("ok").asBoolean()
                ? "ok"
                : reload.path("held").asBoolean() ? "held" : "failed")
        .append(" at ")
        .append(reload.path("at").asText())
        .append('\n');
    if (!reload.path("error").isNull() && !reload.path("error").isMissingNode()) {
      text.append("  ").append(reload.path("error").asText()).append('\n');
    }
    Table table =
        new Table("PROXY", "GROUP", "CLUSTERS", "ENDPOINTS", "LISTENERS", "ROUTES", "SECRETS");
    StringBuilder nacks = new StringBuilder();
    for (JsonNode proxy : status.path("proxies")) {
      String id = proxy.path("id").asText();
      String group = proxy.path("group").asText();
      String[] row = new String[2 + TYPES.size()];
      row[0] = id;
      row[1] = group + (groupVersions(status, group).isMissingNode() ? " (not in policy)" : "");
      for (int i = 0; i < TYPES.size(); i++) {
        String type = TYPES.get(i);
        row[2 + i] = state(status, proxy, type);
        JsonNode nack = proxy.path("xds").path(type).path("lastNack");
        if (nack.isObject() && row[2 + i].equals("NACKED")) {
          nacks
              .append(id)
              .append(" rejected ")
              .append(type)
              .append(' ')
              .append(nack.path("version").asText())
              .append(": ")
              .append(nack.path("message").asText())
              .append('\n');
        }
      }
      table.row(row);
    }
    if (table.isEmpty()) {
      text.append("no proxy is connected\n");
    } else {
      text.append(table.render());
    }
    if (!nacks.isEmpty()) {
      text.append('\n').append(nacks);
    }
    int refused = status.path("refused").size();
    if (refused > 0) {
      text.append('\n')
          .append(refused)
          .append(" xDS stream(s) refused lately (a certificate for another group); see -o json\n");
    }
    return text.toString();
  }

  private static JsonNode groupVersions(JsonNode status, String group) {
    for (JsonNode g : status.path("groups")) {
      if (g.path("key").asText().equals(group)) {
        return g.path("versions");
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** SYNCED, NACKED, STALE or - for one proxy and type. */
  static String state(JsonNode status, JsonNode proxy, String type) {
    JsonNode served = groupVersions(status, proxy.path("group").asText()).path(type);
    if (!served.isTextual() || served.asText().isEmpty()) {
      return "-";
    }
    JsonNode xds = proxy.path("xds").path(type);
    JsonNode nack = xds.path("lastNack");
    if (nack.isObject() && nack.path("version").asText().equals(served.asText())) {
      return "NACKED";
    }
    return xds.path("ackedVersion").asText("").equals(served.asText()) ? "SYNCED" : "STALE";
  }
}
