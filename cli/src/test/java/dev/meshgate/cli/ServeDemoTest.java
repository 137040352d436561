package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshgate.bootstrap.EnvoyBinary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The quick start's one command, end to end: serve --demo, a real Envoy, a real request. */
class ServeDemoTest {

  @TempDir Path dir;

  @Test
  @Timeout(60)
  void demoStartsBackendsAndAnEnvoyThatRoutesAndStopsThemAll() throws Exception {
    Optional<Path> root = Optional.ofNullable(System.getProperty("meshgate.project.root")).map(Path::of);
    if (EnvoyBinary.find(root).isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("no Envoy binary found and CI=true: " + EnvoyBinary.HOW_TO_INSTALL);
      }
      assumeTrue(false, "skipped: no Envoy binary found; " + EnvoyBinary.HOW_TO_INSTALL);
    }
    int listen = ServeCommandTest.freePort();
    int v1 = ServeCommandTest.freePort();
    int v2 = ServeCommandTest.freePort();
    Path policy = dir.resolve("demo.mesh");
    Files.writeString(policy, """
        service catalog {
          source static 127.0.0.1:%d labels version=v1, 127.0.0.1:%d labels version=v2
          subset v2 where version = "v2"
        }
        gateway edge {
          listen 127.0.0.1:%d
          host "api.example" {
            route /catalog/** when header "x-canary" = "true" {
              to catalog.v2
              rewrite prefix "/catalog/" => "/"
            }
          }
        }
        """.formatted(v1, v2, listen));
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread serve = Thread.ofPlatform().name("serve-demo-under-test").start(() -> exit.complete(
        Meshgate.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
            "serve", policy.toString(), "--xds-port", "0", "--admin-port", "0", "--demo")));
    try {
      awaitLine(err, exit, "meshgate: demo: Ctrl-C stops everything");
      Matcher admin = Pattern.compile("admin http://127\\.0\\.0\\.1:(\\d+)\\), log: ").matcher(err.toString());
      assertThat(admin.find()).as(err.toString()).isTrue();
      assertThat(err.toString())
          .contains("meshgate: demo: envoy is ready\n")
          .contains("  curl -s -H 'Host: api.example' -H 'x-canary: true' http://127.0.0.1:" + listen + "/catalog/items   # → catalog.v2\n");

      // By hand: java.net.http will not send a Host header of our choosing.
      String response = get(listen, "/catalog/items", "Host: api.example", "x-canary: true");
      assertThat(response).as(response).startsWith("HTTP/1.1 200 ");
      JsonNode json = new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertThat(json.get("endpoint").asText()).isEqualTo("127.0.0.1:" + v2);
      assertThat(json.get("path").asText()).isEqualTo("/items");

      serve.interrupt();
      assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
      // Envoy is gone with its admin port.
      int adminPort = Integer.parseInt(admin.group(1));
      try (var probe = new java.net.ServerSocket(adminPort, 1, InetAddress.getLoopbackAddress())) {
        assertThat(probe.getLocalPort()).isEqualTo(adminPort);
      }
    } finally {
      serve.interrupt();
      exit.get(20, TimeUnit.SECONDS);
    }
  }

  private static String get(int port, String path, String... headers) throws java.io.IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      String request = "GET " + path + " HTTP/1.1\r\n" + String.join("\r\n", headers) + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void awaitLine(StringWriter err, CompletableFuture<Integer> exit, String line) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (System.nanoTime() < deadline) {
      if (err.toString().contains(line + "\n")) {
        return;
      }
      if (exit.isDone() || err.toString().contains("without a running Envoy")) {
        throw new AssertionError("serve --demo did not get ready:\n" + err);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + line + "' in 40s:\n" + err);
  }
}
