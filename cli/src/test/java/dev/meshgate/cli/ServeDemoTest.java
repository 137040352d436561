package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

/** The quick start's one command, end to end: serve --demo, a real Envoy, a real request. */
class ServeDemoTest {

  @TempDir Path dir;

  @Test
  @Timeout(60)
  void demoStartsBackendsAndAnEnvoyThatRoutesAndStopsThemAll() throws Exception {
    RequiredEnvoy.path(); // the demo finds the same Envoy itself
    int listen = ServeCommandTest.freePort();
    int v1 = ServeCommandTest.freePort();
    int v2 = ServeCommandTest.freePort();
    Path policy = dir.resolve("demo.mesh");
    Files.writeString(
        policy,
        """
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
        """
            .formatted(v1, v2, listen));
    try (DemoServe demo = DemoServe.start(policy, dir.resolve("ca"))) {
      demo.awaitLine("meshgate: demo: Ctrl-C stops everything", Duration.ofSeconds(40));
      Matcher admin =
          Pattern.compile("admin http://127\\.0\\.0\\.1:(\\d+)\\), log: ").matcher(demo.err());
      assertThat(admin.find()).as(demo.err()).isTrue();
      assertThat(demo.err())
          .contains("meshgate: demo: envoy is ready\n")
          .contains(
              "  curl -s -H 'Host: api.example' -H 'x-canary: true' http://127.0.0.1:"
                  + listen
                  + "/catalog/items   # → catalog.v2\n");

      // By hand: java.net.http will not send a Host header of our choosing.
      String response = get(listen, "/catalog/items", "Host: api.example", "x-canary: true");
      assertThat(response).as(response).startsWith("HTTP/1.1 200 ");
      JsonNode json =
          new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertThat(json.get("endpoint").asText()).isEqualTo("127.0.0.1:" + v2);
      assertThat(json.get("path").asText()).isEqualTo("/items");

      assertThat(demo.stop()).isZero();
      // Envoy is gone with its admin port.
      int adminPort = Integer.parseInt(admin.group(1));
      try (var probe = new java.net.ServerSocket(adminPort, 1, InetAddress.getLoopbackAddress())) {
        assertThat(probe.getLocalPort()).isEqualTo(adminPort);
      }
    }
  }

  @Test
  @Timeout(120)
  void meshDemoStartsASidecarPerServiceWithAppsBehindThemOverMutualTls() throws Exception {
    RequiredEnvoy.path(); // the demo finds the same Envoy itself
    int listen = ServeCommandTest.freePort();
    int catalogIn = ServeCommandTest.freePort();
    int catalogApp = ServeCommandTest.freePort();
    int catalogOut = ServeCommandTest.freePort();
    int ordersIn = ServeCommandTest.freePort();
    int ordersApp = ServeCommandTest.freePort();
    int ordersOut = ServeCommandTest.freePort();
    Path policy = dir.resolve("mesh.mesh");
    Files.writeString(
        policy,
        """
        mesh shop {
          trust-domain "shop.example"
        }
        service catalog {
          source static 127.0.0.1:%d
          sidecar {
            inbound 127.0.0.1:%d
            app 127.0.0.1:%d
            outbound 127.0.0.1:%d
          }
        }
        service orders {
          source static 127.0.0.1:%d
          sidecar {
            inbound 127.0.0.1:%d
            app 127.0.0.1:%d
            outbound 127.0.0.1:%d
          }
        }
        gateway edge {
          listen 127.0.0.1:%d
          host "*" {
            route /catalog/** { to catalog rewrite prefix "/catalog/" => "/" }
          }
        }
        allow edge -> catalog
        allow orders -> catalog GET /items/**
        """
            .formatted(
                catalogIn,
                catalogIn,
                catalogApp,
                catalogOut,
                ordersIn,
                ordersIn,
                ordersApp,
                ordersOut,
                listen));
    try (DemoServe demo = DemoServe.start(policy, dir.resolve("ca"))) {
      demo.awaitLine("meshgate: demo: Ctrl-C stops everything", Duration.ofSeconds(90));
      assertThat(demo.err())
          .contains("meshgate: demo: all 3 envoys are ready\n")
          .contains("meshgate: demo: app catalog answers on http://127.0.0.1:" + catalogApp)
          .contains("meshgate: demo: app orders answers on http://127.0.0.1:" + ordersApp)
          .contains("started envoy for gateway edge (")
          .contains("started envoy for sidecar catalog (")
          .contains("started envoy for sidecar orders (")
          .containsPattern(
              "\n  curl -s -H 'Host: catalog' http://127\\.0\\.0\\.1:"
                  + ordersOut
                  + "/items +# orders → catalog")
          .containsPattern(
              "\n  curl -s -X POST -H 'Host: catalog' http://127\\.0\\.0\\.1:"
                  + ordersOut
                  + "/items +# 403: no allow rule lets orders POST here\n");

      // Edge → catalog's sidecar over mTLS → catalog's app, which sees the gateway's SPIFFE ID.
      JsonNode viaEdge = json(get(listen, "/catalog/items", "Host: shop"));
      assertThat(viaEdge.get("endpoint").asText()).isEqualTo("127.0.0.1:" + catalogApp);
      assertThat(viaEdge.get("path").asText()).isEqualTo("/items");
      assertThat(viaEdge.at("/headers/x-forwarded-client-cert").asText())
          .contains("URI=spiffe://shop.example/gateway/edge");

      // orders' app calls catalog by name through its sidecar's outbound port.
      JsonNode viaSidecar = json(get(ordersOut, "/items", "Host: catalog"));
      assertThat(viaSidecar.get("endpoint").asText()).isEqualTo("127.0.0.1:" + catalogApp);
      assertThat(viaSidecar.at("/headers/x-forwarded-client-cert").asText())
          .contains("URI=spiffe://shop.example/service/orders");

      assertThat(demo.stop()).isZero();
    }
  }

  /**
   * The demo serves a JWKS for a loopback jwt-provider and prints a token it signed: the printed
   * curl works against the real Envoy, and without the token the gateway answers 401.
   */
  @Test
  @Timeout(90)
  void demoIssuesATokenThatTheGatewayAcceptsForAProtectedRoute() throws Exception {
    RequiredEnvoy.path();
    int listen = ServeCommandTest.freePort();
    int orders = ServeCommandTest.freePort();
    int jwks = ServeCommandTest.freePort();
    Path policy = dir.resolve("jwt.mesh");
    Files.writeString(
        policy,
        """
        service orders {
          source static 127.0.0.1:%d
        }
        gateway edge {
          listen 127.0.0.1:%d
          jwt-provider "demo" {
            issuer "https://demo.meshgate.example/"
            audiences "quickstart"
            jwks "http://127.0.0.1:%d/.well-known/jwks.json"
          }
          host "api.example" {
            route /orders/** { require jwt "demo"  to orders }
          }
        }
        """
            .formatted(orders, listen, jwks));
    try (DemoServe demo = DemoServe.start(policy, dir.resolve("ca"))) {
      demo.awaitLine("meshgate: demo: Ctrl-C stops everything", Duration.ofSeconds(40));
      assertThat(demo.err())
          .contains(
              "meshgate: demo: serving a demo JWKS for jwt-provider \"demo\" on"
                  + " http://127.0.0.1:"
                  + jwks
                  + "/.well-known/jwks.json\n")
          .containsPattern(
              "\n  curl -s -H 'Host: api.example' -H \"Authorization: Bearer \\$TOKEN\""
                  + " http://127\\.0\\.0\\.1:"
                  + listen
                  + "/orders/items +# → orders \\(with the demo's token\\)\n");
      Matcher token = Pattern.compile("\n  TOKEN=([A-Za-z0-9_.-]+)\n").matcher(demo.err());
      assertThat(token.find()).as(demo.err()).isTrue();

      assertThat(get(listen, "/orders/items", "Host: api.example")).startsWith("HTTP/1.1 401 ");
      JsonNode json =
          json(
              get(
                  listen,
                  "/orders/items",
                  "Host: api.example",
                  "Authorization: Bearer " + token.group(1)));
      assertThat(json.get("endpoint").asText()).isEqualTo("127.0.0.1:" + orders);

      assertThat(demo.stop()).isZero();
    }
  }

  private static JsonNode json(String response) throws java.io.IOException {
    assertThat(response).as(response).startsWith("HTTP/1.1 200 ");
    return new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  private static String get(int port, String path, String... headers) throws java.io.IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\n"
              + String.join("\r\n", headers)
              + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * {@code serve --demo} on a policy, in a thread of this JVM, stopped by an interrupt (Ctrl-C).
   */
  private static final class DemoServe implements AutoCloseable {
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread serve;

    private DemoServe(Path policy, Path caDir) {
      serve =
          Thread.ofPlatform()
              .name("serve-demo-under-test")
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
                          "--demo",
                          "--ca-dir",
                          caDir.toString())));
    }

    static DemoServe start(Path policy, Path caDir) {
      return new DemoServe(policy, caDir);
    }

    String err() {
      return err.toString();
    }

    void awaitLine(String line, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (err().contains(line + "\n")) {
          return;
        }
        if (exit.isDone() || err().contains("without a running Envoy")) {
          throw new AssertionError("serve --demo did not get ready:\n" + err());
        }
        Thread.sleep(100);
      }
      throw new AssertionError("no '" + line + "' in " + timeout.toSeconds() + "s:\n" + err());
    }

    /** Interrupts serve as Ctrl-C would and returns its exit status. */
    int stop() throws Exception {
      serve.interrupt();
      return exit.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
      stop();
    }
  }
}
