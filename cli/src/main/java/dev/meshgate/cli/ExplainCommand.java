package dev.meshgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Say what a running server's proxies do with one request, and why.",
    description = {
      "Sends REQUEST to the admin API's /explain, where the server runs the policy simulator of"
          + " 'meshgate test' over the policy it serves right now: which proxy group judges the"
          + " request, the outcome, the route or authorization rule that decided it (with where the"
          + " policy says so) and the clusters it goes to.",
      "REQUEST is written as in a test block's expect (docs/language.md, Policy tests), without the"
          + " outcome:  GET api.example/catalog/items via edge  or  orders -> catalog DELETE"
          + " /items/1. The words may be given as separate arguments or as one; -H adds headers"
          + " without shell quoting of the test syntax.",
      "Exit 0, 2 when REQUEST is not a request, 3 when the server cannot be read."
    })
final class ExplainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AdminOptions admin;

  @Parameters(arity = "1..*", paramLabel = "REQUEST", description = "The request, as in a test.")
  List<String> words;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "NAME=VALUE",
      description = "A request header (repeatable): same as with header \"NAME\" = \"VALUE\".")
  List<String> headers = new ArrayList<>();

  @Option(
      names = "--query",
      paramLabel = "NAME=VALUE",
      description = "A query parameter (repeatable): same as with query \"NAME\" = \"VALUE\".")
  List<String> queries = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StringBuilder request = new StringBuilder(String.join(" ", words));
    append(request, "header", headers, "-H");
    append(request, "query", queries, "--query");
    AdminClient.Answer answer;
    try {
      answer = admin.client().get("/explain?request=" + AdminClient.encode(request.toString()));
    } catch (UserError e) {
      if (e.getMessage().startsWith("request \"")) {
        throw new UserError(ExitCode.USAGE, e.getMessage()); // the server could not parse it
      }
      throw e;
    }
    out.print(admin.json() ? answer.body() : render(answer.json()));
    out.flush();
    return ExitCode.OK;
  }

  private void append(StringBuilder request, String kind, List<String> pairs, String option) {
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new UserError(ExitCode.USAGE, option + " " + pair + ": write NAME=VALUE");
      }
      request
          .append(" with ")
          .append(kind)
          .append(' ')
          .append(quote(pair.substring(0, eq)))
          .append(" = ")
          .append(quote(pair.substring(eq + 1)));
    }
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String render(JsonNode explain) {
    Table lines = new Table("request:", explain.path("request").asText());
    lines.row(
        "proxy:",
        explain.path("group").asText()
            + " (policy version "
            + explain.path("policyVersion").asText()
            + ")");
    lines.row("outcome:", explain.path("outcome").path("text").asText());
    JsonNode decided = explain.path("decidedBy");
    if (decided.isObject()) {
      String origin =
          decided.path("origin").isTextual() ? " at " + decided.path("origin").asText() : "";
      lines.row("decided by:", decided.path("description").asText() + origin);
    }
    if (explain.path("route").isTextual()) {
      lines.row("route:", explain.path("route").asText());
    }
    if (explain.path("rule").isTextual()) {
      lines.row("rule:", explain.path("rule").asText());
    }
    List<String> clusters = new ArrayList<>();
    for (JsonNode c : explain.path("clusters")) {
      clusters.add(c.path("cluster").asText() + " " + percent(c.path("percent").asDouble()) + "%");
    }
    if (!clusters.isEmpty()) {
      lines.row(clusters.size() == 1 ? "cluster:" : "clusters:", String.join(", ", clusters));
    }
    List<String> mirrors = new ArrayList<>();
    for (JsonNode c : explain.path("mirrors")) {
      mirrors.add(c.path("cluster").asText() + " " + percent(c.path("percent").asDouble()) + "%");
    }
    if (!mirrors.isEmpty()) {
      lines.row("mirrored to:", String.join(", ", mirrors));
    }
    if (explain.path("upstreamPath").isTextual()) {
      lines.row("upstream path:", explain.path("upstreamPath").asText());
    }
    for (JsonNode note : explain.path("notes")) {
      lines.row("note:", note.asText());
    }
    return lines.render();
  }

  private static String percent(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
