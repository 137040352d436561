package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.cli.Meshgate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Everything an operator sees of a served gateway, collected so a test can prove a secret is in
 * none of it: {@code compile} output, a security-relevant {@code plan}, {@code config} of the
 * routes and {@code /status}. Used by the credential tests (API keys, basic auth).
 */
final class OperatorOutputs {
  private OperatorOutputs() {}

  /** One {@code meshgate} command run in this JVM. */
  record Cli(int exit, String out, String err) {}

  static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Meshgate.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  /**
   * Compiles the stack's policy (whose output must name {@code credentialsFile} and Envoy's {@code
   * filter}), plans it against a base where {@code changed} reads {@code base} instead (must be
   * security-relevant), fetches the routes {@code config} (the filter's credentials redacted) and
   * {@code /status}; returns the text of each.
   */
  static List<String> collect(
      GatewayStack stack,
      Path work,
      Path tokenFile,
      String filter,
      Path credentialsFile,
      String changed,
      String base)
      throws IOException {
    Path policyDir = stack.policyFile().getParent();
    Path out = work.resolve("compiled");
    Cli compiled = cli("compile", policyDir.toString(), "--out-dir", out.toString());
    assertThat(compiled.exit()).as(compiled.err()).isZero();
    StringBuilder json = new StringBuilder();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.sorted().toList()) {
        json.append(Files.readString(f));
      }
    }
    assertThat(json.toString()).contains(credentialsFile.toString()).contains(filter);

    Path baseDir = Files.createDirectories(work.resolve("base"));
    String policy = Files.readString(stack.policyFile());
    assertThat(policy).contains(changed);
    Files.writeString(baseDir.resolve("policy.mesh"), policy.replace(changed, base));
    Cli plan = cli("plan", "--base", baseDir.toString(), policyDir.toString());
    assertThat(plan.exit()).as(plan.err()).isEqualTo(4);
    assertThat(plan.out()).contains("security-relevant");

    Cli config =
        cli(
            "config",
            "edge",
            "--type",
            "routes",
            "-o",
            "json",
            "--server",
            "http://127.0.0.1:" + stack.meshgate().adminPort(),
            "--token-file",
            tokenFile.toString());
    assertThat(config.exit()).as(config.err()).isZero();
    assertThat(config.out()).contains(filter).contains("[redacted]");

    HttpResponse<String> status =
        Http.get(
            stack.meshgate().adminUrl("/status"),
            "authorization",
            "Bearer " + Files.readString(tokenFile).strip());
    assertThat(status.statusCode()).isEqualTo(200);
    return List.of(json.toString(), plan.out(), plan.err(), config.out(), status.body());
  }
}
