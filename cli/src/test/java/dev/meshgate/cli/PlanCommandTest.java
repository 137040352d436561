package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshgate plan} against a directory and against a git revision of a throw-away repository.
 */
class PlanCommandTest {

  @TempDir Path dir;
  Path repo;
  Path policy;

  @BeforeEach
  void repository() throws Exception {
    repo = dir.resolve("repo");
    policy = repo.resolve("policies");
    write(
        policy.resolve("shop.mesh"),
        TestPolicies.GOOD.replace(
            "{ to catalog.v1 90%, catalog.v2 10% }",
            "{\n    to catalog.v1 90%, catalog.v2 10%\n    timeout 2s\n  }"));
    write(policy.resolve(".swap.mesh"), "this is no policy"); // hidden: skipped on both sides
    write(repo.resolve("elsewhere/other.mesh"), TestPolicies.OTHER_GATEWAY); // outside PATH
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
  }

  @Test
  void noChangeAgainstHeadExitsZero() {
    Cli.Result r = Cli.run("plan", "--base", "HEAD", policy.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "meshgate plan: base HEAD → "
                + policy
                + "\n\nNo changes: 1 proxy group, all unchanged.\n");
  }

  @Test
  void aChangedTimeoutAndANewRouteAgainstHeadExitFour() throws IOException {
    edit(s ->
        s.replace("timeout 2s", "timeout 1s")
            .replace("route /healthz", "route /search { to catalog }\n    route /healthz"));
    Cli.Result r = Cli.run("plan", "--base", "HEAD", policy.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
    assertThat(r.out())
        .isEqualTo(
            """
            meshgate plan: base HEAD → %s

            ~ gateway:edge (changed; reaches every proxy of gateway:edge)
                ~ route edge   # resilience
                    + virtual_hosts[api.example].routes[0]: {"match":{"path":"/search"},"route":{"cluster":"catalog"},"name":"api.example/1"}   # route /search
                    ~ virtual_hosts[api.example].routes[2].route.timeout: "2s" → "1s"   # route /catalog/**   # resilience
                + cluster catalog
                + endpoints catalog

            Plan: 2 to add, 1 to change, 0 to remove, in 1 proxy group.
            """
                .formatted(policy));
  }

  @Test
  void aRevisionIsReadRelativeToTheRepositoryRootAndAFileAsPathWorksToo() throws IOException {
    edit(s -> s.replace("timeout 2s", "timeout 1s"));
    Cli.Result r =
        Cli.run(
            "plan", "--base", "HEAD", policy.resolve("shop.mesh").toString(), "--format", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
    JsonNode plan = json(r.out());
    JsonNode field = plan.at("/groups/0/resources/0/fields/0");
    assertThat(field.path("path").asText())
        .isEqualTo("virtual_hosts[api.example].routes[1].route.timeout");
    assertThat(field.path("before").asText()).isEqualTo("2s");
    assertThat(field.path("after").asText()).isEqualTo("1s");
    assertThat(plan.at("/groups/0/resources/0/resilienceRelevant").asBoolean()).isTrue();
    assertThat(plan.at("/groups/0/resources/0/securityRelevant").isMissingNode()).isTrue();
  }

  @Test
  void clusterSettingChangesAreMarkedAsResilience() throws IOException {
    edit(s ->
        s.replace(
            "service catalog {",
            "service catalog {\n  outlier-detection { consecutive-5xx 3 }\n"
                + "  circuit-breaker { max-requests 10 }"));
    Cli.Result r = Cli.run("plan", "--base", "HEAD", policy.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
    assertThat(r.out())
        .contains("~ cluster catalog.v1   # resilience\n")
        .contains("+ circuit_breakers: {")
        .contains("+ outlier_detection: {")
        .containsPattern("\\+ outlier_detection: \\{.*}   # resilience\n");
  }

  @Test
  void aDirectoryBaseAndAddedAndRemovedGroups() throws IOException {
    Path base = dir.resolve("base");
    write(base.resolve("shop.mesh"), TestPolicies.GOOD);
    write(base.resolve("admin.mesh"), TestPolicies.OTHER_GATEWAY);
    Path now = dir.resolve("now");
    write(
        now.resolve("shop.mesh"),
        TestPolicies.GOOD.replace("gateway edge", "gateway front").replace(":10000", ":10002"));
    Cli.Result r = Cli.run("plan", "--base", base.toString(), now.toString(), "--format", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
    JsonNode plan = json(r.out());
    assertThat(plan.path("changes").asBoolean()).isTrue();
    List<String> groups = new ArrayList<>();
    plan.path("groups")
        .forEach(g -> groups.add(g.path("group").asText() + " " + g.path("change").asText()));
    assertThat(groups)
        .containsExactly("gateway:admin removed", "gateway:edge removed", "gateway:front added");
    assertThat(plan.at("/groups/2/resources/0").path("kind").asText()).isEqualTo("listener");
    assertThat(plan.at("/groups/2/resources/0").path("after").path("name").asText())
        .isEqualTo("front:10002");
    assertThat(plan.at("/groups/0/resources/0").path("before").path("name").asText())
        .isEqualTo("admin:10001");
    assertThat(plan.at("/summary/groups/added").asInt()).isEqualTo(1);
    assertThat(plan.at("/summary/groups/removed").asInt()).isEqualTo(2);
    assertThat(plan.at("/groups/0/reach/text").asText()).isEqualTo("every proxy of gateway:admin");
    assertThat(plan.at("/groups/0/reach/connectedProxies").isNull()).isTrue();
    assertThat(r.err()).endsWith("Plan: 6 to add, 0 to change, 10 to remove, in 3 proxy groups.\n");
  }

  @Test
  void aPolicyAddedSinceTheRevisionIsAFirstDeployment() throws IOException {
    Path fresh = repo.resolve("fresh");
    write(fresh.resolve("shop.mesh"), TestPolicies.GOOD);
    Cli.Result r = Cli.run("plan", "--base", "HEAD", fresh.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
    assertThat(r.err()).contains("the base (HEAD) has no policy files");
    assertThat(r.out())
        .contains("+ gateway:edge (added; reaches every proxy of gateway:edge)")
        .contains("    + listener edge:10000\n");
  }

  @Test
  void policyErrorsOnEitherSideExitOneWithTheDiagnostics() throws IOException {
    edit(s -> TestPolicies.BAD);
    Cli.Result r = Cli.run("plan", "--base", "HEAD", policy.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("new (" + policy + "):\n")
        .contains("error[MG201]")
        .endsWith("no plan: fix the policy errors above\n");

    Cli.Result json =
        Cli.run(
            "plan",
            "--base",
            policy.toString(),
            repo.resolve("elsewhere").toString(),
            "--format",
            "json");
    assertThat(json.exitCode()).isEqualTo(1);
    JsonNode report = json(json.out());
    assertThat(report.path("ok").asBoolean()).isFalse();
    assertThat(report.at("/diagnostics/0/side").asText()).isEqualTo("base");
    assertThat(report.at("/diagnostics/0/code").asText()).isEqualTo("MG201");
  }

  @Test
  void anUnknownBaseIsAGitFailureAsDocsCiSays() throws IOException {
    // docs/ci.md and examples/ci: 3 is "other failure (git, file, server)"; 2 is a malformed line.
    Cli.Result r = Cli.run("plan", "--base", "no-such-branch", policy.toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .contains("--base no-such-branch: no such file or directory, and not a git revision of");
    Path noGit = Files.createTempDirectory("meshgate-no-git");
    Path loose = Files.writeString(noGit.resolve("shop.mesh"), TestPolicies.GOOD);
    Cli.Result notGit = Cli.run("plan", "--base", "main", loose.toString());
    assertThat(notGit.exitCode()).isEqualTo(3);
    assertThat(notGit.err())
        .isEqualTo(
            "meshgate: --base main: no such file or directory, and "
                + loose
                + " is not in a git repository to read a revision from\n");
    Cli.Result outside = Cli.run("plan", "--base", "HEAD~1", dir.resolve("nowhere").toString());
    assertThat(outside.exitCode()).isEqualTo(3); // the new policy is missing: nothing to plan
    assertThat(Cli.run("plan", policy.toString()).exitCode()).isEqualTo(2); // --base is required
    assertThat(Cli.run("plan", "--base", "HEAD", "--format", "xml", policy.toString()).exitCode())
        .isEqualTo(2);
  }

  @Test
  void outputGoesToAFileAndTheSummaryToStderr() throws IOException {
    edit(s -> s.replace("timeout 2s", "timeout 3s"));
    Path out = dir.resolve("reports/plan.txt");
    Cli.Result r = Cli.run("plan", "--base", "HEAD", policy.toString(), "--output", out.toString());
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(out))
        .contains("~ virtual_hosts[api.example].routes[1].route.timeout: \"2s\" → \"3s\"");
    assertThat(r.err()).isEqualTo("Plan: 0 to add, 1 to change, 0 to remove, in 1 proxy group.\n");
  }

  @Test
  void sarifOfAPlanCarriesTheNewPolicysWarnings() throws IOException {
    edit(s -> s.replace("timeout 2s", "timeout 2s\n    retry 3 per-try 1s"));
    Cli.Result r = Cli.run("plan", "--base", "HEAD", policy.toString(), "--format", "sarif");
    assertThat(r.exitCode()).isEqualTo(4);
    JsonNode sarif = json(r.out());
    assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
    assertThat(sarif.at("/runs/0/results/0/ruleId").asText()).isEqualTo("MG410");
    assertThat(r.err()).contains("warning[MG410]");
  }

  @Test
  void withAServerTheReachIsTheNumberOfConnectedProxies() throws Exception {
    edit(s -> s.replace("timeout 2s", "timeout 1s"));
    com.sun.net.httpserver.HttpServer admin =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    byte[] status =
        """
        {"policy":{"version":"x"},"groups":[],"proxies":[
          {"id":"a","group":"gateway:edge"},{"id":"b","group":"gateway:edge"},{"id":"c","group":"sidecar:orders"}]}
        """
            .getBytes(StandardCharsets.UTF_8);
    admin.createContext(
        "/status",
        exchange -> {
          exchange.sendResponseHeaders(200, status.length);
          exchange.getResponseBody().write(status);
          exchange.close();
        });
    admin.start();
    try {
      String url = "http://127.0.0.1:" + admin.getAddress().getPort();
      Cli.Result r = Cli.run("plan", "--base", "HEAD", policy.toString(), "--server", url);
      assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
      assertThat(r.out())
          .contains("~ gateway:edge (changed; reaches 2 connected proxies of gateway:edge)");
      JsonNode json =
          json(
              Cli.run(
                      "plan",
                      "--base",
                      "HEAD",
                      policy.toString(),
                      "--server",
                      url + "/",
                      "--format",
                      "json")
                  .out());
      assertThat(json.at("/groups/0/reach/connectedProxies").asInt()).isEqualTo(2);
    } finally {
      admin.stop(0);
    }
    Cli.Result down =
        Cli.run("plan", "--base", "HEAD", policy.toString(), "--server", "http://127.0.0.1:1");
    assertThat(down.exitCode()).isEqualTo(3);
    assertThat(down.err())
        .isEqualTo(
            "meshgate: --server http://127.0.0.1:1: nothing answers at 127.0.0.1:1; is 'meshgate"
                + " serve' running with that --admin-port? (or plan without --server)\n");
    Cli.Result malformed =
        Cli.run("plan", "--base", "HEAD", policy.toString(), "--server", "ftp://x y");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err())
        .isEqualTo("meshgate: --server ftp://x y: not a URL like http://127.0.0.1:18001\n");
  }

  @Test
  void helpNamesTheExitCodes() {
    Cli.Result r = Cli.run("plan", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: meshgate plan [-hV]").contains("4 changes present");
  }

  // ---- helpers ---------------------------------------------------------------------------

  private interface Edit {
    String apply(String text);
  }

  private void edit(Edit edit) throws IOException {
    Path file = policy.resolve("shop.mesh");
    Files.writeString(file, edit.apply(Files.readString(file)));
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static JsonNode json(String text) throws IOException {
    return new ObjectMapper().readTree(text);
  }

  private void git(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "git",
                "-C",
                repo.toString(),
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "commit.gpgsign=false"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), output).isZero();
  }
}
