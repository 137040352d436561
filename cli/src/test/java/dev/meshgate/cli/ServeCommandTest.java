package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

  private static final Pattern READY =
      Pattern.compile(
          "meshgate: serving xDS on 127\\.0\\.0\\.1:(\\d+), admin on http://127\\.0\\.0\\.1:(\\d+)\n");

  @TempDir Path dir;

  @Test
  @Timeout(30)
  void servesUntilStoppedAndAnswersHealthz() throws Exception {
    Path policy = dir.resolve("shop.mesh");
    Files.writeString(policy, TestPolicies.GOOD);
    int xdsPort = freePort();
    int adminPort = freePort();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Thread[] runner = new Thread[1];
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    runner[0] =
        Thread.ofPlatform()
            .name("serve-under-test")
            .start(() ->
                exit.complete(
                    Meshgate.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "serve",
                        policy.toString(),
                        "--xds-port",
                        Integer.toString(xdsPort),
                        "--admin-port",
                        Integer.toString(adminPort),
                        "--ca-dir",
                        dir.resolve("ca").toString())));

    Matcher ready = awaitReadyLine(err, exit);
    assertThat(ready.group(1)).isEqualTo(Integer.toString(xdsPort));
    assertThat(ready.group(2)).isEqualTo(Integer.toString(adminPort));

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"ok\"");

    runner[0].interrupt(); // what Ctrl-C does, in-process
    assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
    assertThat(err.toString()).endsWith("meshgate: stopped\n");
    assertThat(out.toString()).isEmpty();
    // The ports are free again.
    try (ServerSocket again =
        new ServerSocket(adminPort, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(adminPort);
    }
  }

  @Test
  @Timeout(30)
  void aBadPolicyAtStartPrintsDiagnosticsAndExitsOne() throws IOException {
    Path bad = dir.resolve("bad.mesh");
    Files.writeString(bad, TestPolicies.BAD);
    Cli.Result r =
        Cli.run(
            "serve",
            bad.toString(),
            "--xds-port",
            "0",
            "--admin-port",
            "0",
            "--ca-dir",
            dir.resolve("ca").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("error[MG201]").endsWith("\n1 error, 0 warnings in 1 file\n");
    assertThat(r.err()).doesNotContain("serving xDS");
  }

  @Test
  @Timeout(30)
  void aSecretReferenceWithoutKubernetesIsRefusedNamingTheFlag() throws IOException {
    Path policy = dir.resolve("keys.mesh");
    Files.writeString(
        policy,
        """
        service api { source static 127.0.0.1:9001 }
        gateway edge {
          listen 127.0.0.1:18080
          api-keys "partners" { keys kubernetes-secret "meshgate/partner-keys" }
          host "*" { route /** { require api-key "partners" to api } }
        }
        """);
    Cli.Result r =
        Cli.run(
            "serve",
            policy.toString(),
            "--xds-port",
            "0",
            "--admin-port",
            "0",
            "--ca-dir",
            dir.resolve("ca").toString());
    assertThat(r.exitCode()).as(r.err()).isNotZero();
    assertThat(r.err())
        .contains(
            "api-keys \"partners\" reads kubernetes-secret \"meshgate/partner-keys\", but this"
                + " server reads no Kubernetes Secrets: start it with --kubernetes")
        .doesNotContain("serving xDS");
  }

  @Test
  @Timeout(30)
  void aPortInUseIsAFailureWithAHint() throws IOException {
    Path policy = dir.resolve("shop.mesh");
    Files.writeString(policy, TestPolicies.GOOD);
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Cli.Result r =
          Cli.run(
              "serve",
              policy.toString(),
              "--xds-port",
              "0",
              "--admin-port",
              Integer.toString(taken.getLocalPort()),
              "--ca-dir",
              dir.resolve("ca").toString());
      assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
      assertThat(r.err())
          .isEqualTo(
              "meshgate: port "
                  + taken.getLocalPort()
                  + " (--admin-port) on 127.0.0.1 is in use: is another meshgate running? pick"
                  + " another with --admin-port PORT, or --admin-port 0 for any free port\n");
    }
  }

  @Test
  @Timeout(30)
  void aBusyXdsPortSaysWhichPortAndWhatToDoBeforeAnyWork() throws IOException {
    Path policy = dir.resolve("shop.mesh");
    Files.writeString(policy, TestPolicies.GOOD);
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Cli.Result r =
          Cli.run(
              "serve",
              policy.toString(),
              "--xds-port",
              Integer.toString(port),
              "--admin-port",
              "0",
              "--ca-dir",
              dir.resolve("ca").toString());
      assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
      assertThat(r.err())
          .isEqualTo(
              "meshgate: port "
                  + port
                  + " (--xds-port) on 127.0.0.1 is in use: is another meshgate running? pick"
                  + " another with --xds-port PORT, or --xds-port 0 for any free port\n");
      assertThat(dir.resolve("ca")).doesNotExist(); // checked before the CA was made
    }
  }

  @Test
  void aBindAddressThatIsNotThisMachinesIsRejectedBeforeAnyWork() throws IOException {
    Path policy = dir.resolve("shop.mesh");
    Files.writeString(policy, TestPolicies.BAD); // would be exit 1 if it were compiled
    for (String bind : new String[] {"127.0.0.999", "192.0.2.1"}) {
      Cli.Result r =
          Cli.run(
              "serve",
              policy.toString(),
              "--bind",
              bind,
              "--xds-port",
              "0",
              "--admin-port",
              "0",
              "--ca-dir",
              dir.resolve("ca").toString());
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err())
          .isEqualTo(
              "meshgate: --bind "
                  + bind
                  + ": not an address of this machine; use 127.0.0.1 (this machine only), 0.0.0.0"
                  + " (every interface) or one of its own addresses\n");
    }
    assertThat(dir.resolve("ca")).doesNotExist();
  }

  @Test
  @Timeout(30)
  void aCaDirectoryThatCannotBeUsedIsAFailureNamingIt() throws IOException {
    Path policy = dir.resolve("shop.mesh");
    Files.writeString(policy, TestPolicies.GOOD);
    Path caDir = Files.createDirectories(dir.resolve("ca"));
    Files.writeString(
        caDir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    Files.writeString(
        caDir.resolve("ca.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Cli.Result r =
        Cli.run(
            "serve",
            policy.toString(),
            "--xds-port",
            "0",
            "--admin-port",
            "0",
            "--ca-dir",
            caDir.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
    assertThat(r.err())
        .startsWith("meshgate: cannot use the CA in " + caDir + ": ")
        .doesNotContain("serving xDS");
  }

  @Test
  void certTtlTakesHoursAndDays() {
    Cli.Result r = Cli.run("serve", "x.mesh", "--cert-ttl", "24");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            "meshgate: Invalid value for option '--cert-ttl': '24' has no unit; write a whole"
                + " number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d\n");
    Cli.Result tooShort = Cli.run("serve", "x.mesh", "--cert-ttl", "1s");
    assertThat(tooShort.exitCode()).isEqualTo(2);
    assertThat(tooShort.err()).startsWith("meshgate: --cert-ttl must be at least 2s, got 1s\n");
    assertThat(new DurationOption().convert("36h")).isEqualTo(Duration.ofHours(36));
    assertThat(new DurationOption().convert("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(new DurationOption().convert("90s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void everyDurationOptionTakesTheOneSyntax() {
    // The same parser behind every option: a unit one option took and another refused was a trap.
    Cli.Result coalesce = Cli.run("serve", "x.mesh", "--eds-coalesce", "1h");
    assertThat(coalesce.err()).doesNotContain("Invalid value");
    Cli.Result badCoalesce = Cli.run("serve", "x.mesh", "--eds-coalesce", "100");
    assertThat(badCoalesce.exitCode()).isEqualTo(2);
    assertThat(badCoalesce.err())
        .startsWith(
            "meshgate: Invalid value for option '--eds-coalesce': '100' has no unit; write a whole"
                + " number and a unit (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d\n");
    Cli.Result timeout = Cli.run("check", "x.mesh", "--catalog-timeout", "1.5s");
    assertThat(timeout.exitCode()).isEqualTo(2);
    assertThat(timeout.err())
        .startsWith(
            "meshgate: Invalid value for option '--catalog-timeout': '1.5s' is not a duration: no"
                + " fractions, use a smaller unit (1500ms, not 1.5s); write a whole number and a unit"
                + " (ms, s, m, h or d), like 500ms, 2s, 5m, 2h or 7d\n");
  }

  @Test
  @Timeout(30)
  void insecureXdsSaysSoLoudly() throws Exception {
    Path policy = dir.resolve("shop.mesh");
    Files.writeString(policy, TestPolicies.GOOD);
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread runner =
        Thread.ofPlatform()
            .name("serve-insecure")
            .start(() ->
                exit.complete(
                    Meshgate.run(
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true),
                        "serve",
                        policy.toString(),
                        "--xds-port",
                        "0",
                        "--admin-port",
                        "0",
                        "--insecure-xds",
                        "--ca-dir",
                        dir.resolve("ca").toString())));
    try {
      awaitReadyLine(err, exit);
      assertThat(err.toString())
          .contains(
              "meshgate: WARNING: --insecure-xds: xDS is plaintext and proxies are not authenticated");
    } finally {
      runner.interrupt();
      assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
    }
  }

  private static Matcher awaitReadyLine(StringWriter err, CompletableFuture<Integer> exit)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = READY.matcher(err.toString());
      if (m.find()) {
        return m;
      }
      if (exit.isDone()) {
        throw new AssertionError(
            "serve exited with " + exit.join() + " before it was ready:\n" + err);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no ready line in 20s:\n" + err);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
