package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.cli.Meshgate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operator commands ({@code status}, {@code config}, {@code explain}, {@code version}) against
 * a real token-protected {@code meshgate serve} with a real Envoy connected: what they print agrees
 * with what Envoy does, and no private key leaves the server.
 */
@ExtendWith(PrintLogsOnFailure.class)
class OperatorCliIT {
  private static final String POLICY =
      """
      service catalog {
        source static ${v1} labels version=v1, ${v2} labels version=v2
        subset v1 where version = "v1"
        subset v2 where version = "v2"
      }
      gateway edge {
        listen 127.0.0.1:${port}
        listen 127.0.0.1:${tlsPort} tls
        certificate "api.example" built-in-ca
        host "api.example" {
          route /healthz { respond 200 "ok" }
          route /catalog/** when header "x-canary" = "true" { to catalog.v2 }
          route /catalog/** { to catalog.v1 }
        }
      }
      """;

  @TempDir static Path work;
  static Backend v1;
  static Backend v2;
  static int port;
  static GatewayStack stack;
  static String token;
  static String server;

  @BeforeAll
  static void start() throws Exception {
    v1 = Backend.start("v1");
    v2 = Backend.start("v2");
    port = FreePorts.next();
    Path tokenFile = work.resolve("admin-token");
    Files.writeString(tokenFile, "c0ffee-0123456789abcdef0123456789\n");
    token = tokenFile.toString();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(
                POLICY,
                Map.of(
                    "v1", v1.address(),
                    "v2", v2.address(),
                    "port", port,
                    "tlsPort", FreePorts.next())),
            "--admin-token-file",
            token);
    server = "http://127.0.0.1:" + stack.meshgate().adminPort();
    Wait.until(
        java.time.Duration.ofSeconds(10),
        "the catalog route answers",
        () -> get("/catalog/items").statusCode() == 200);
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, v1, v2);
  }

  @Test
  void statusListsTheConnectedEnvoyInSync() {
    Result status = meshgate("status");
    assertThat(status.exit()).as(status.err()).isZero();
    String row =
        status
            .out()
            .lines()
            .filter(l -> l.startsWith(stack.envoy().nodeId()))
            .findFirst()
            .orElse("");
    assertThat(row).as("row of %s in%n%s", stack.envoy().nodeId(), status.out()).isNotEmpty();
    assertThat(row.split("\\s+"))
        .containsExactly(
            stack.envoy().nodeId(),
            "gateway:edge",
            "SYNCED",
            "SYNCED",
            "SYNCED",
            "SYNCED",
            "SYNCED");

    JsonNode json = json(meshgate("status", "-o", "json").out());
    assertThat(json.path("proxies").findValuesAsText("id")).contains(stack.envoy().nodeId());
  }

  @Test
  void withoutTheTokenNothingIsShown() {
    Result refused = run("status", "--server", server);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).contains("needs the admin token");
  }

  @Test
  void configShowsWhatEnvoyRunsWithKeysRedacted() throws Exception {
    Result routes = meshgate("config", "edge", "--type", "routes");
    assertThat(routes.exit()).as(routes.err()).isZero();
    assertThat(routes.out())
        .contains("path /catalog/** header x-canary=true")
        .contains("to catalog.v2")
        .contains("respond 200");

    Result secrets = meshgate("config", "edge", "--type", "secrets", "-o", "json");
    assertThat(secrets.exit()).as(secrets.err()).isZero();
    assertThat(secrets.out()).contains("[redacted]").doesNotContain("PRIVATE KEY");
    // The key Envoy holds is real (it serves TLS with it), yet it never reached the CLI.
    String issuedKey = privateKeyOfApiExample();
    assertThat(secrets.out()).doesNotContain(issuedKey.lines().skip(1).findFirst().orElseThrow());

    // The route names config prints are the ones Envoy reports.
    assertThat(stack.envoy().configDump().toString()).contains("catalog.v2");
  }

  @Test
  void explainAgreesWithEnvoy() {
    Result canary =
        meshgate(
            "explain",
            "GET",
            "api.example/catalog/items",
            "via",
            "edge",
            "-H",
            "x-canary=true",
            "-o",
            "json");
    assertThat(canary.exit()).as(canary.err()).isZero();
    JsonNode answer = json(canary.out());
    assertThat(answer.path("clusters").toString()).contains("catalog.v2");

    int before = v2.requests();
    HttpResponse<String> real = get("/catalog/items", "x-canary", "true");
    assertThat(real.statusCode()).isEqualTo(200);
    assertThat(v2.requests()).as("the backend explain named got the request").isEqualTo(before + 1);

    Result health = meshgate("explain", "GET", "api.example/healthz", "via", "edge");
    assertThat(health.exit()).as(health.err()).isZero();
    assertThat(health.out()).contains("200 \"ok\" (answered by the proxy)");
    assertThat(get("/healthz").body()).isEqualTo("ok");
  }

  @Test
  void versionShowsClientAndServer() {
    Result version = meshgate("version", "-o", "json");
    assertThat(version.exit()).as(version.err()).isZero();
    JsonNode json = json(version.out());
    assertThat(json.path("client").asText()).isNotBlank();
    assertThat(json.path("server").path("server").asText()).isEqualTo(json.path("client").asText());
    assertThat(json.path("server").path("policyVersion").asText())
        .isEqualTo(
            json(meshgate("status", "-o", "json").out()).path("policy").path("version").asText());
  }

  private static String privateKeyOfApiExample() throws Exception {
    try (var files = Files.walk(stack.meshgate().caDir())) {
      List<Path> keys = files.filter(p -> p.getFileName().toString().endsWith(".key")).toList();
      for (Path key : keys) {
        String text = Files.readString(key);
        if (text.contains("PRIVATE KEY")) {
          return text;
        }
      }
    }
    throw new AssertionError("no issued private key under " + stack.meshgate().caDir());
  }

  private static HttpResponse<String> get(String path, String... headers) {
    List<String> all = new ArrayList<>(List.of("Host", "api.example"));
    all.addAll(List.of(headers));
    return Http.get("http://127.0.0.1:" + port + path, all.toArray(String[]::new));
  }

  record Result(int exit, String out, String err) {}

  private static JsonNode json(String text) {
    try {
      return Http.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static Result meshgate(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", server, "--token-file", token));
    return run(all.toArray(String[]::new));
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Meshgate.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
