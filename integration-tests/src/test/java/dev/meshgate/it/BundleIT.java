package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import dev.meshgate.cli.bundle.Bundle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy from a bundle (issue 16.3): CI writes a signed bundle with a real {@code meshgate compile
 * --bundle}, a small HTTP server publishes it (with an ETag), a real {@code meshgate serve --bundle
 * URL --bundle-key} polls it and a real Envoy follows. A tampered bundle and a signed bundle that
 * does not compile are never served: traffic keeps following the last good one and /status says
 * why. The methods run in order, each from the bundle the previous one published.
 */
@ExtendWith(PrintLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleIT {
  private static final Duration APPLY_WITHIN = Duration.ofSeconds(15);

  private static final String POLICY =
      """
      service a { source static ${a} }
      service b { source static ${b} }

      gateway edge {
        listen 127.0.0.1:${port}
        host "*" {
          route /moving/** { to ${target} }
        }
      }
      """;

  @TempDir static Path work;
  static Backend a;
  static Backend b;
  static int port;
  static HttpServer publisher;
  static volatile byte[] published = new byte[0];
  static KeyPair keys;
  static byte[] first;
  static Path signKey;
  static MeshgateProcess meshgate;
  static EnvoyProcess envoy;

  @BeforeAll
  static void start() throws Exception {
    RequiredEnvoy.path(); // skip (or fail in CI) before starting anything
    a = Backend.start("a");
    b = Backend.start("b");
    port = FreePorts.next();
    keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    signKey = write("keys/bundle.key", pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    Path publicKey = write("keys/bundle.pub", pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    publisher = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    publisher.createContext(
        "/b.zip",
        exchange -> {
          byte[] body = published;
          String etag = "\"" + HexFormat.of().formatHex(sha256(body)) + "\"";
          String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
          exchange.getResponseHeaders().add("ETag", etag);
          if (etag.equals(ifNoneMatch)) {
            exchange.sendResponseHeaders(304, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    publisher.start();
    first = compileBundle("a");
    published = first;
    String url = "http://127.0.0.1:" + publisher.getAddress().getPort() + "/b.zip";
    meshgate =
        MeshgateProcess.startBundle(
            url, work, "--bundle-key", publicKey.toString(), "--bundle-poll", "1s");
    envoy = GatewayStack.startEnvoy("edge", meshgate, work, 1);
  }

  @AfterEach
  void envoyRejectedNothing() {
    envoy.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(envoy, meshgate, a, b);
    if (publisher != null) {
      publisher.stop(0);
    }
  }

  @Test
  @Order(1)
  void trafficFollowsTheFirstBundle() {
    Wait.until(APPLY_WITHIN, "/moving served by a", () -> servedBy("/moving/x").equals("a"));
    assertThat(meshgate.status().at("/policy/lastReload/ok").asBoolean()).isTrue();
  }

  @Test
  @Order(2)
  void aNewBundleIsServed() {
    published = compileBundle("b");
    Wait.until(APPLY_WITHIN, "/moving served by b", () -> servedBy("/moving/x").equals("b"));
    Wait.until(
        APPLY_WITHIN,
        "a good reload in /status",
        () -> meshgate.status().at("/policy/lastReload/ok").asBoolean());
    assertThat(meshgate.logText()).contains("served: policy version");
  }

  @Test
  @Order(3)
  void aTamperedBundleIsNeverServed() {
    String version = meshgate.status().at("/policy/version").asText();
    // The bundle for "a", its policy edited after signing: the manifest's sha256 no longer fits.
    byte[] tampered = rezip(compileBundle("a"), "policy.mesh", text -> text + "\n# edited\n");
    published = tampered;
    JsonNode status = failedReload("does not match its sha256");
    assertThat(status.at("/policy/lastReload/error").asText())
        .endsWith(
            "rejected: bundle entry policy.mesh does not match its sha256 in manifest.json: the"
                + " bundle was changed after it was written");
    stillServingB(version);
    assertThat(meshgate.logText()).contains("bundle entry policy.mesh does not match its sha256");
  }

  @Test
  @Order(4)
  void aSignedBundleThatDoesNotCompileIsNeverServed() {
    String version = meshgate.status().at("/policy/version").asText();
    String broken = policy("nowhere"); // an unknown service: a compile error
    published =
        Bundle.write(
            new TreeMap<>(Map.of("policy.mesh", broken.getBytes(StandardCharsets.UTF_8))),
            "test",
            "none",
            Optional.of(keys.getPrivate()));
    JsonNode status =
        Wait.until(
            APPLY_WITHIN,
            "/status to report the bundle's compile errors",
            () -> {
              JsonNode s = meshgate.status();
              return s.at("/policy/lastReload/diagnostics").size() > 0
                  ? Optional.of(s)
                  : Optional.empty();
            });
    assertThat(status.at("/policy/lastReload/ok").asBoolean()).isFalse();
    assertThat(status.at("/policy/lastReload/diagnostics/0/file").asText())
        .isEqualTo("policy.mesh");
    stillServingB(version);
    Wait.until(
        APPLY_WITHIN,
        "the log to say the bundle was not served",
        () -> meshgate.logText().contains("not served: "));
  }

  @Test
  @Order(5)
  void aGoodBundleAfterBadOnesIsServedAgain() {
    byte[] again = compileBundle("a");
    assertThat(again).as("the same policy, compiled again: the same bundle").isEqualTo(first);
    published = again;
    Wait.until(APPLY_WITHIN, "/moving served by a", () -> servedBy("/moving/x").equals("a"));
    // CI and the server run the same release: the server compiled exactly what CI recorded.
    assertThat(meshgate.logText()).doesNotContain("not byte for byte");
    Wait.until(
        APPLY_WITHIN,
        "a good reload in /status",
        () -> meshgate.status().at("/policy/lastReload/ok").asBoolean());
  }

  private static JsonNode failedReload(String reason) {
    return Wait.until(
        APPLY_WITHIN,
        "/status to report: " + reason,
        () -> {
          JsonNode s = meshgate.status();
          return s.at("/policy/lastReload/error").asText("").contains(reason)
              ? Optional.of(s)
              : Optional.empty();
        });
  }

  private static void stillServingB(String version) {
    for (int i = 0; i < 10; i++) {
      assertThat(servedBy("/moving/x")).isEqualTo("b");
      Wait.sleep(Duration.ofMillis(100));
    }
    assertThat(meshgate.status().at("/policy/version").asText()).isEqualTo(version);
  }

  /**
   * A real {@code meshgate compile --bundle --sign-key} of the policy routing to {@code target}.
   */
  private static byte[] compileBundle(String target) {
    try {
      Path dir = Files.createTempDirectory(work, "ci-");
      write(work.relativize(dir.resolve("policy/policy.mesh")).toString(), policy(target));
      Path zip = dir.resolve("out/b.zip");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
      command.addAll(List.of("-cp", System.getProperty("java.class.path")));
      command.add("dev.meshgate.cli.Meshgate");
      command.addAll(
          List.of(
              "compile",
              dir.resolve("policy").toString(),
              "--bundle",
              zip.toString(),
              "--sign-key",
              signKey.toString()));
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("compile.log").toFile())
              .start();
      int exit = p.waitFor();
      assertThat(exit).as(Files.readString(dir.resolve("compile.log"))).isZero();
      return Files.readAllBytes(zip);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static String policy(String target) {
    return Policy.render(
        POLICY, Map.of("a", a.address(), "b", b.address(), "port", port, "target", target));
  }

  private static String servedBy(String path) {
    HttpResponse<String> response = Http.get("http://127.0.0.1:" + port + path);
    if (response.statusCode() != 200) {
      return "status " + response.statusCode();
    }
    return Http.json(response).path("backend").asText();
  }

  private static Path write(String relative, String text) {
    return Policy.write(work.resolve(relative), text);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The bundle with one entry's text changed and the zip rebuilt (valid CRCs, same manifest). */
  private static byte[] rezip(
      byte[] bundle, String name, java.util.function.UnaryOperator<String> change) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bundle))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        entries.put(e.getName(), in.readAllBytes());
      }
      entries.put(
          name,
          change
              .apply(new String(entries.get(name), StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
          zip.putNextEntry(new ZipEntry(entry.getKey()));
          zip.write(entry.getValue());
          zip.closeEntry();
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
