package dev.meshgate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Show the version of this meshgate and of a running server.",
    description = {
      "Prints this client's version, then the server's (its admin API's /version) and the version"
          + " of the policy it serves. The client's line is printed even when the server cannot be"
          + " read.",
      "Exit 0, or 3 when the server cannot be read."
    })
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AdminOptions admin;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String client = VersionProvider.version();
    if (admin.json()) {
      AdminClient.Answer server = admin.client().get("/version");
      ObjectNode root = AdminClient.JSON.createObjectNode();
      root.put("client", client);
      root.set("server", server.json());
      out.println(root.toPrettyString());
    } else {
      out.println("client: meshgate " + client + " (Java " + Runtime.version() + ")");
      out.flush();
      AdminClient.Answer server = admin.client().get("/version");
      out.println(
          "server: meshgate "
              + server.json().path("server").asText()
              + " (Java "
              + server.json().path("java").asText()
              + "), policy version "
              + server.json().path("policyVersion").asText());
    }
    out.flush();
    return ExitCode.OK;
  }
}
