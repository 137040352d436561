package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS at the edge (issue 12) with real TLS clients: SNI picks the certificate (files or the
 * built-in CA), ALPN gives HTTP/2, HTTP redirects to HTTPS, client certificates are checked (and
 * reach the upstream as x-forwarded-client-cert), a renewed certificate file reaches Envoy with no
 * dropped connection, and CORS preflights are answered by Envoy. One server, one Envoy.
 */
@ExtendWith(PrintLogsOnFailure.class)
class EdgeTlsCorsIT {
  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${http} redirect https :${https}
        listen 127.0.0.1:${https} tls
        listen 127.0.0.1:${mtls} tls client-certificate required ca file "${clientCa}"
        certificate "api.test" file "${apiCert}" key file "${apiKey}"
        certificate "dev.test" built-in-ca

        host "api.test" {
          route /cors/** {
            cors {
              origin "https://app.test"
              origin "https://*.preview.test"
              methods GET, POST
              headers "content-type", "x-token"
              expose "x-request-id"
              credentials
              max-age 10m
            }
            to echo
          }
          route /** { to echo }
        }
        host "dev.test" {
          route /** { to echo }
        }
      }
      """;

  @TempDir static Path work;
  static Backend echo;
  static MeshgateProcess meshgate;
  static EnvoyProcess envoy;
  static TestPki operator;
  static TestPki clients;
  static Path apiCert;
  static Path apiKey;
  static int http;
  static int https;
  static int mtls;
  static X509Certificate meshCa;

  @BeforeAll
  static void start() throws Exception {
    echo = Backend.start("echo");
    operator = TestPki.create("operator-ca");
    clients = TestPki.create("clients-ca");
    Path certs = Files.createDirectories(work.resolve("certs"));
    apiCert = certs.resolve("api.pem");
    apiKey = certs.resolve("api-key.pem");
    operator.server("api.test").writePem(apiCert, apiKey);
    Path clientCa = certs.resolve("clients-ca.pem");
    clients.writeCa(clientCa);
    http = FreePorts.next();
    https = FreePorts.next();
    mtls = FreePorts.next();
    Path policy =
        Policy.write(
            work.resolve("policy/policy.mesh"),
            Policy.render(
                POLICY,
                Map.of(
                    "echo", echo.address(),
                    "http", http,
                    "https", https,
                    "mtls", mtls,
                    "clientCa", clientCa,
                    "apiCert", apiCert,
                    "apiKey", apiKey)));
    dev.meshgate.bootstrap.testing.RequiredEnvoy.path();
    meshgate =
        MeshgateProcess.start(policy.getParent(), work, List.of("-Dmeshgate.tls-file-poll-ms=300"));
    envoy = GatewayStack.startEnvoy("edge", meshgate, work, 3);
    try (var in = Files.newInputStream(meshgate.caDir().resolve("ca.crt"))) {
      meshCa = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    // Every listener is up once each one answers (TLS listeners warm until their SDS secrets came).
    Wait.until(
        Duration.ofSeconds(30),
        "the TLS listeners",
        () -> {
          try (HttpsClient c = HttpsClient.connect(trustingBoth(), https, "api.test", List.of())) {
            return c.request("GET", "/", Map.of()).status() == 200;
          } catch (IOException e) {
            return false;
          }
        });
  }

  @AfterEach
  void envoyRejectedNothing() {
    envoy.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(envoy, meshgate, echo);
  }

  private static String plaintext(int port, String request) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static SSLContext trustingBoth() {
    return TestPki.context(List.of(operator.ca(), meshCa), null);
  }

  @Test
  void sniPicksTheCertificateFromFilesOrTheBuiltInCa() throws Exception {
    try (HttpsClient api = HttpsClient.connect(trustingBoth(), https, "api.test", List.of())) {
      assertThat(api.serverCertificate().getIssuerX500Principal().getName())
          .contains("operator-ca");
      assertThat(api.request("GET", "/hello", Map.of()).body()).contains("\"path\":\"/hello\"");
    }
    try (HttpsClient dev = HttpsClient.connect(trustingBoth(), https, "dev.test", List.of())) {
      assertThat(dev.serverCertificate().getIssuerX500Principal())
          .isEqualTo(meshCa.getSubjectX500Principal());
      assertThat(dev.request("GET", "/", Map.of()).status()).isEqualTo(200);
    }
  }

  @Test
  void anUnknownServerNameGetsNoCertificate() {
    assertThatThrownBy(() -> HttpsClient.connect(trustingBoth(), https, "other.test", List.of()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void http2IsNegotiatedOverAlpn() throws Exception {
    try (HttpsClient c =
        HttpsClient.connect(trustingBoth(), https, "api.test", List.of("h2", "http/1.1"))) {
      assertThat(c.alpn()).isEqualTo("h2");
    }
    try (HttpsClient c =
        HttpsClient.connect(trustingBoth(), https, "api.test", List.of("http/1.1"))) {
      assertThat(c.alpn()).isEqualTo("http/1.1");
    }
  }

  @Test
  void plainHttpIsRedirectedToHttps() {
    String answer =
        plaintext(http, "GET /a/b?c=d HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n");
    assertThat(answer)
        .startsWith("HTTP/1.1 301")
        .contains("location: https://api.test:" + https + "/a/b?c=d");
  }

  @Test
  void clientCertificatesAreCheckedAndForwarded() throws Exception {
    Instant now = Instant.now();
    TestPki.Issued good =
        clients.client("partner-acme", now.minusSeconds(60), now.plusSeconds(600));
    try (HttpsClient c =
        HttpsClient.connect(
            TestPki.context(List.of(operator.ca(), meshCa), good), mtls, "api.test", List.of())) {
      HttpsClient.Response response =
          c.request("GET", "/who", Map.of("x-forwarded-client-cert", "By=forged"));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).contains("CN=partner-acme").doesNotContain("forged");
    }
    TestPki.Issued expired =
        clients.client("partner-old", now.minusSeconds(7200), now.minusSeconds(3600));
    TestPki.Issued stranger =
        TestPki.create("stranger-ca").client("mallory", now.minusSeconds(60), now.plusSeconds(600));
    for (TestPki.Issued refused : new TestPki.Issued[] {expired, stranger, null}) {
      assertThatThrownBy(
              () -> {
                try (HttpsClient c =
                    HttpsClient.connect(
                        TestPki.context(List.of(operator.ca(), meshCa), refused),
                        mtls,
                        "api.test",
                        List.of())) {
                  c.request("GET", "/who", Map.of());
                }
              })
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aRenewedCertificateFileReachesEnvoyWithoutDroppingConnections() throws Exception {
    try (HttpsClient open = HttpsClient.connect(trustingBoth(), https, "api.test", List.of())) {
      X509Certificate before = open.serverCertificate();
      assertThat(open.request("GET", "/before", Map.of()).status()).isEqualTo(200);

      operator.server("api.test").writePem(apiCert, apiKey);

      X509Certificate after =
          Wait.until(
              Duration.ofSeconds(20),
              "the renewed certificate",
              () -> {
                try (HttpsClient c =
                    HttpsClient.connect(trustingBoth(), https, "api.test", List.of())) {
                  X509Certificate now = c.serverCertificate();
                  return now.getSerialNumber().equals(before.getSerialNumber())
                      ? Optional.empty()
                      : Optional.of(now);
                } catch (IOException e) {
                  return Optional.empty();
                }
              });
      assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
      // The connection made with the old certificate still carries requests.
      assertThat(open.request("GET", "/after", Map.of()).status()).isEqualTo(200);
    }
  }

  @Test
  void corsPreflightsAreAnsweredByEnvoy() throws Exception {
    int before = echo.requests();
    try (HttpsClient c = HttpsClient.connect(trustingBoth(), https, "api.test", List.of())) {
      HttpsClient.Response preflight =
          c.request(
              "OPTIONS",
              "/cors/items",
              Map.of(
                  "origin", "https://pr-7.preview.test",
                  "access-control-request-method", "POST",
                  "access-control-request-headers", "x-token"));
      assertThat(preflight.status()).isEqualTo(200);
      assertThat(preflight.header("access-control-allow-origin"))
          .isEqualTo("https://pr-7.preview.test");
      assertThat(preflight.header("access-control-allow-methods")).isEqualTo("GET,POST");
      assertThat(preflight.header("access-control-allow-headers")).contains("x-token");
      assertThat(preflight.header("access-control-allow-credentials")).isEqualTo("true");
      assertThat(preflight.header("access-control-max-age")).isEqualTo("600");

      HttpsClient.Response simple =
          c.request("GET", "/cors/items", Map.of("origin", "https://app.test"));
      assertThat(simple.status()).isEqualTo(200);
      assertThat(simple.header("access-control-allow-origin")).isEqualTo("https://app.test");
      assertThat(simple.header("access-control-expose-headers")).isEqualTo("x-request-id");

      HttpsClient.Response foreign =
          c.request("GET", "/cors/items", Map.of("origin", "https://evil.test"));
      assertThat(foreign.header("access-control-allow-origin")).isEmpty();

      HttpsClient.Response noPolicy =
          c.request("GET", "/plain", Map.of("origin", "https://app.test"));
      assertThat(noPolicy.header("access-control-allow-origin")).isEmpty();
    }
    // The preflight never reached the backend; the three GETs did.
    assertThat(echo.requests() - before).isEqualTo(3);
  }
}
