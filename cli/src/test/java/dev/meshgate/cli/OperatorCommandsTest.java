package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.xds.MeshgateServer;
import dev.meshgate.xds.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status, config, explain and version: their tables pinned, and run against a real server. */
class OperatorCommandsTest {
  @TempDir Path dir;

  static JsonNode json(String text) throws Exception {
    return AdminClient.JSON.readTree(text);
  }

  static final String STATUS =
      """
      {"policy":{"version":"p1","lastReload":{"ok":true,"at":"2026-12-05T09:00:00Z",
        "diagnostics":[],"error":null,"held":false}},
       "groups":[{"key":"gateway:edge","versions":{"clusters":"c2","endpoints":"e1",
         "listeners":"l1","routes":"r2"}},
        {"key":"sidecar:orders","versions":{"clusters":"c9","endpoints":"e9","listeners":"l9",
         "routes":"r9","secrets":"s9"}}],
       "proxies":[
        {"id":"edge-1","group":"gateway:edge","xds":{
          "clusters":{"ackedVersion":"c2","lastNack":null},
          "endpoints":{"ackedVersion":"e1","lastNack":null},
          "listeners":{"ackedVersion":"l1","lastNack":null},
          "routes":{"ackedVersion":"r1","lastNack":{"version":"r2","message":"bad regex","at":"x"}}}},
        {"id":"orders-7","group":"sidecar:orders","xds":{
          "clusters":{"ackedVersion":"c9","lastNack":null},
          "endpoints":{"ackedVersion":"e8","lastNack":null},
          "listeners":{"ackedVersion":"l9","lastNack":null},
          "routes":{"ackedVersion":"r9","lastNack":null},
          "secrets":{"ackedVersion":"s9","lastNack":null}}}],
       "refused":[]}
      """;

  @Test
  void statusTable() throws Exception {
    JsonNode status = json(STATUS);
    assertThat(StatusCommand.render(status))
        .isEqualTo(
            """
            policy p1, last reload ok at 2026-12-05T09:00:00Z
            PROXY     GROUP           CLUSTERS  ENDPOINTS  LISTENERS  ROUTES  SECRETS
            edge-1    gateway:edge    SYNCED    SYNCED     SYNCED     NACKED  -
            orders-7  sidecar:orders  SYNCED    STALE      SYNCED     SYNCED  SYNCED

            edge-1 rejected routes r2: bad regex
            """);
    assertThat(StatusCommand.inSync(status)).isFalse();
    assertThat(
            StatusCommand.render(
                json(
                    "{\"policy\":{\"version\":\"p\",\"lastReload\":{\"ok\":false,\"held\":true,\"at\":\"t\",\"error\":\"held: removes 80% of routes\"}},\"proxies\":[]}")))
        .isEqualTo(
            """
            policy p, last reload held at t
              held: removes 80% of routes
            no proxy is connected
            """);
  }

  @Test
  void configTables() throws Exception {
    JsonNode config =
        json(
            """
            {"group":"gateway:edge","types":{
              "routes":{"version":"r1","resources":[{"name":"edge-8080","version":"h1","resource":{
                "name":"edge-8080","virtualHosts":[{"name":"api.example","domains":["api.example"],
                "routes":[
                  {"name":"api.example/0","match":{"prefix":"/catalog/","headers":[
                    {"name":":method","stringMatch":{"exact":"GET"}},
                    {"name":"x-canary","stringMatch":{"exact":"true"}}]},
                   "route":{"cluster":"catalog.v2"}},
                  {"name":"api.example/1","match":{"prefix":"/"},"route":{"weightedClusters":{
                    "clusters":[{"name":"catalog.v1","weight":90},{"name":"catalog.v2","weight":10}]}}},
                  {"name":"api.example/2","match":{"path":"/healthz"},"directResponse":{"status":200}}]}]}}]},
              "secrets":{"version":"s1","resources":[{"name":"identity","version":"k1","resource":{
                "name":"identity","tlsCertificate":{"privateKey":"[redacted]"}}}]}}}
            """);
    assertThat(ConfigCommand.render(config))
        .isEqualTo(
            """
            gateway:edge routes (version r1)
            TABLE      VIRTUAL HOST  DOMAINS      ROUTE          MATCH                                      ACTION
            edge-8080  api.example   api.example  api.example/0  prefix /catalog/ GET header x-canary=true  to catalog.v2
            edge-8080  api.example   api.example  api.example/1  prefix /                                   to catalog.v1 90, catalog.v2 10
            edge-8080  api.example   api.example  api.example/2  path /healthz                              respond 200

            gateway:edge secrets (version s1)
            SECRET    KIND                                    VERSION
            identity  tls certificate (private key redacted)  k1
            """);
  }

  @Test
  void explainLines() throws Exception {
    JsonNode explain =
        json(
            """
            {"request":"GET api.example/catalog/items via edge","policyVersion":"p1",
             "group":"gateway:edge","outcome":{"kind":"forwarded","text":"forwarded to catalog.v1 90%, catalog.v2 10%"},
             "decidedBy":{"description":"route api.example/0","origin":"shop.mesh:12:5"},
             "route":"api.example/0","rule":null,
             "clusters":[{"cluster":"catalog.v1","percent":90.0},{"cluster":"catalog.v2","percent":10.0}],
             "mirrors":[],"upstreamPath":"/catalog/items","upstreamHeaders":{},"notes":[]}
            """);
    assertThat(ExplainCommand.render(explain))
        .isEqualTo(
            """
            request:        GET api.example/catalog/items via edge
            proxy:          gateway:edge (policy version p1)
            outcome:        forwarded to catalog.v1 90%, catalog.v2 10%
            decided by:     route api.example/0 at shop.mesh:12:5
            route:          api.example/0
            clusters:       catalog.v1 90%, catalog.v2 10%
            upstream path:  /catalog/items
            """);
  }

  @Test
  void shellCompletionCoversTheOperatorCommands() throws Exception {
    Cli.Result script = Cli.run("generate-completion");
    assertThat(script.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(script.out()).contains("status").contains("config").contains("explain");
    Path file = dir.resolve("meshgate-completion.bash");
    Files.writeString(file, script.out());
    Process bash =
        new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
    String output =
        new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(bash.waitFor()).as("bash -n: %s", output).isZero();
  }

  static final String POLICY =
      """
      service catalog {
        source static 127.0.0.1:9101
        protocol http
      }
      gateway edge {
        listen :8080
        host "api.example" {
          route /catalog/** { to catalog }
        }
      }
      """;

  @Test
  void againstARealServerWithAToken() throws Exception {
    Files.writeString(dir.resolve("shop.mesh"), POLICY);
    Path token = dir.resolve("token");
    Files.writeString(token, "0123456789abcdef0123456789abcdef\n");
    Path policy = Files.createDirectories(dir.resolve("policy"));
    Files.move(dir.resolve("shop.mesh"), policy.resolve("shop.mesh"));
    try (MeshgateServer server =
        MeshgateServer.start(
            ServerOptions.loopback(List.of(policy), Files.createDirectories(dir.resolve("ca")))
                .withAdminTokenFile(token))) {
      String url = "http://127.0.0.1:" + server.adminPort();
      Cli.Result refused = Cli.run("status", "--server", url);
      assertThat(refused.exitCode()).isEqualTo(ExitCode.FAILURE);
      assertThat(refused.err())
          .isEqualTo(
              "meshgate: --server "
                  + url
                  + " needs the admin token: give --token-file FILE (the server's"
                  + " --admin-token-file)\n");

      Cli.Result status = Cli.run("status", "--server", url, "--token-file", token.toString());
      assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCode.OK);
      assertThat(status.out()).contains("no proxy is connected");

      Cli.Result config =
          Cli.run(
              "config",
              "edge",
              "--type",
              "routes",
              "--server",
              url,
              "--token-file",
              token.toString());
      assertThat(config.exitCode()).as(config.err()).isEqualTo(ExitCode.OK);
      assertThat(config.out()).contains("path /catalog/**").contains("to catalog");

      Cli.Result explain =
          Cli.run(
              "explain",
              "GET",
              "api.example/catalog/items",
              "via",
              "edge",
              "-H",
              "x-canary=true",
              "--server",
              url,
              "--token-file",
              token.toString(),
              "-o",
              "json");
      assertThat(explain.exitCode()).as(explain.err()).isEqualTo(ExitCode.OK);
      JsonNode answer = json(explain.out());
      assertThat(answer.path("request").asText())
          .isEqualTo("GET api.example/catalog/items via edge with header \"x-canary\" = \"true\"");
      assertThat(answer.path("clusters").get(0).path("cluster").asText()).isEqualTo("catalog");

      Cli.Result bad =
          Cli.run(
              "explain", "GET api.example/x", "--server", url, "--token-file", token.toString());
      assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
      assertThat(bad.err()).startsWith("meshgate: request \"GET api.example/x\": at the end of");

      Cli.Result version = Cli.run("version", "--server", url, "--token-file", token.toString());
      assertThat(version.exitCode()).as(version.err()).isEqualTo(ExitCode.OK);
      assertThat(version.out())
          .containsPattern("(?m)^client: meshgate \\S+ \\(Java .*\\)$")
          .containsPattern("(?m)^server: meshgate \\S+ \\(Java .*\\), policy version \\S+$");
      assertThat(version.out() + version.err() + status.out() + config.out())
          .doesNotContain("0123456789abcdef");
    }
  }

  @Test
  void completionScriptNamesTheOperatorCommands() {
    Cli.Result result = Cli.run("generate-completion");
    assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(result.out()).contains("meshgate").contains("explain").contains("status");
  }
}
