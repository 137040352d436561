package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT at the edge (issue 12) through a real Envoy configured by a real `meshgate serve`: tokens
 * minted here with Nimbus, the JWKS served by a loopback HTTP server and fetched by Envoy through
 * the cluster the compiler made. Valid → 200 with the claim header at the backend; expired, wrong
 * issuer, bad signature, missing → 401; wrong audience → 403 (Envoy's choice); claim rules → 403;
 * optional and public routes; a rotated key is accepted once Envoy refetched the JWKS (short
 * cache).
 */
@ExtendWith(PrintLogsOnFailure.class)
class JwtIT {
  private static final String ISSUER = "https://idp.test/";
  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${http}

        jwt-provider "idp" {
          issuer "https://idp.test/"
          audiences "shop-api"
          jwks "http://127.0.0.1:${jwks}/jwks.json" cache 1s
          from header "authorization" prefix "Bearer "
          from cookie "jwt"
          claim "sub" to-header "x-user"
        }

        jwt-provider "files" {
          issuer "https://files.test/"
          jwks file "local.jwks.json"
          from query "token"
          claim "sub" to-header "x-file-user"
        }

        host "*" {
          require jwt "idp"
          deny jwt claim "suspended" = "true"
          route /public/** {
            require none
            to echo
          }
          route /maybe/** {
            require jwt "idp" optional
            to echo
          }
          route /admin/** {
            allow jwt claim "role" = "admin"
            to echo
          }
          route /orders/** {
            allow jwt scope "orders:write"
            to echo
          }
          route /local/** {
            require jwt "files"
            to echo
          }
          route /** { to echo }
        }
      }
      """;

  @TempDir static Path work;
  static Backend echo;
  static HttpServer jwksServer;
  static final AtomicReference<String> JWKS = new AtomicReference<>();
  static final AtomicInteger FETCHES = new AtomicInteger();
  static RSAKey key;

  /** The key of the provider whose JWKS is a local file (EC, to cover a second algorithm). */
  static ECKey fileKey;

  static MeshgateProcess meshgate;
  static EnvoyProcess envoy;
  static int http;

  @BeforeAll
  static void start() throws Exception {
    echo = Backend.start("echo");
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    JWKS.set(new JWKSet(key.toPublicJWK()).toString());
    jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwksServer.createContext(
        "/jwks.json",
        exchange -> {
          FETCHES.incrementAndGet();
          byte[] body = JWKS.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("content-type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    jwksServer.start();
    fileKey = new ECKeyGenerator(Curve.P_256).keyID("f1").generate();
    Policy.write(
        work.resolve("policy/local.jwks.json"), new JWKSet(fileKey.toPublicJWK()).toString());
    http = FreePorts.next();
    Path policy =
        Policy.write(
            work.resolve("policy/policy.mesh"),
            Policy.render(
                POLICY,
                Map.of(
                    "echo", echo.address(),
                    "http", http,
                    "jwks", jwksServer.getAddress().getPort())));
    dev.meshgate.bootstrap.testing.RequiredEnvoy.path();
    meshgate = MeshgateProcess.start(policy.getParent(), work);
    envoy = GatewayStack.startEnvoy("edge", meshgate, work, 1);
    Wait.until(
        Duration.ofSeconds(30),
        "the gateway accepting a valid token",
        () -> status(get("/x", token(c -> {}))) == 200);
  }

  @AfterEach
  void envoyRejectedNothing() {
    envoy.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(envoy, meshgate, echo);
    if (jwksServer != null) {
      jwksServer.stop(0);
    }
  }

  /** A token of the idp for audience shop-api, valid for 5 minutes, changed by {@code edit}. */
  static String token(Consumer<JWTClaimsSet.Builder> edit) {
    return sign(key, edit);
  }

  static String sign(RSAKey with, Consumer<JWTClaimsSet.Builder> edit) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience("shop-api")
            .subject("ada")
            .issueTime(Date.from(now.minusSeconds(5)))
            .expirationTime(Date.from(now.plusSeconds(300)));
    edit.accept(claims);
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(with.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims.build());
      jwt.sign(new RSASSASigner(with));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(String path, String token) {
    return Http.get(url(path), "authorization", "Bearer " + token);
  }

  static String url(String path) {
    return "http://127.0.0.1:" + http + path;
  }

  static int status(HttpResponse<String> response) {
    return response.statusCode();
  }

  @Test
  void aValidTokenReachesTheBackendWithItsClaimHeader() {
    HttpResponse<String> response = get("/hello", token(c -> c.subject("ada")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.json(response).path("headers").path("x-user").asText()).isEqualTo("ada");
  }

  @Test
  void theTokenMayComeFromTheCookie() {
    HttpResponse<String> response =
        Http.get(url("/hello"), "cookie", "jwt=" + token(c -> c.subject("bob")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.json(response).path("headers").path("x-user").asText()).isEqualTo("bob");
  }

  @Test
  void badTokensAre401() throws Exception {
    assertThat(status(Http.get(url("/hello")))).as("missing").isEqualTo(401);
    assertThat(
            status(
                get(
                    "/hello",
                    token(c ->
                        c.issueTime(Date.from(Instant.now().minusSeconds(600)))
                            .expirationTime(Date.from(Instant.now().minusSeconds(300)))))))
        .as("expired")
        .isEqualTo(401);
    assertThat(status(get("/hello", token(c -> c.issuer("https://evil.test/")))))
        .as("wrong issuer")
        .isEqualTo(401);
    // Envoy's jwt_authn answers a verified token for another audience with 403, not 401.
    // (Expired tokens below are 5 minutes old: Envoy allows 60s of clock skew.)
    HttpResponse<String> otherAudience = get("/hello", token(c -> c.audience("other-api")));
    assertThat(status(otherAudience)).as("wrong audience").isEqualTo(403);
    assertThat(otherAudience.body()).isEqualTo("Audiences in Jwt are not allowed");
    RSAKey impostor = new RSAKeyGenerator(2048).keyID("k1").generate();
    assertThat(status(get("/hello", sign(impostor, c -> {}))))
        .as("bad signature (same kid, other key)")
        .isEqualTo(401);
    assertThat(status(get("/hello", "not.a.jwt"))).as("garbage").isEqualTo(401);
  }

  @Test
  void claimRulesAre403() {
    assertThat(status(get("/admin/x", token(c -> c.claim("role", "admin"))))).isEqualTo(200);
    assertThat(status(get("/admin/x", token(c -> c.claim("role", List.of("user", "admin"))))))
        .as("a list claim holding the value")
        .isEqualTo(200);
    assertThat(status(get("/admin/x", token(c -> c.claim("role", "user"))))).isEqualTo(403);
    assertThat(status(get("/admin/x", token(c -> {})))).as("no role claim").isEqualTo(403);
    assertThat(status(Http.get(url("/admin/x")))).as("no token: 401 first").isEqualTo(401);
    assertThat(status(get("/x", token(c -> c.claim("suspended", "true")))))
        .as("the host's deny")
        .isEqualTo(403);
    assertThat(status(get("/orders/1", token(c -> c.claim("scope", "read orders:write")))))
        .as("one of the space-separated scopes")
        .isEqualTo(200);
    assertThat(status(get("/orders/1", token(c -> c.claim("scope", "read orders:writer")))))
        .isEqualTo(403);
  }

  @Test
  void optionalAndPublicRoutes() {
    assertThat(status(Http.get(url("/maybe/x")))).as("optional, no token").isEqualTo(200);
    assertThat(status(get("/maybe/x", token(c -> {})))).as("optional, good token").isEqualTo(200);
    assertThat(status(get("/maybe/x", token(c -> c.issuer("https://evil.test/")))))
        .as("optional, bad token")
        .isEqualTo(401);
    assertThat(status(Http.get(url("/public/x")))).as("require none").isEqualTo(200);
  }

  @Test
  void aRotatedKeyIsAcceptedOnceEnvoyRefetchedTheJwks() throws Exception {
    RSAKey next = new RSAKeyGenerator(2048).keyID("k2").generate();
    String rotated = sign(next, c -> c.subject("rotated"));
    assertThat(status(get("/hello", rotated))).as("k2 not published yet").isEqualTo(401);
    int fetched = FETCHES.get();
    JWKS.set(new JWKSet(List.of(key.toPublicJWK(), next.toPublicJWK())).toString());
    Wait.until(
        Duration.ofSeconds(30),
        "Envoy accepting the rotated key",
        () -> status(get("/hello", rotated)) == 200);
    assertThat(FETCHES.get()).as("Envoy fetched the JWKS again").isGreaterThan(fetched);
    assertThat(status(get("/hello", token(c -> {})))).as("the old key still works").isEqualTo(200);
  }

  /** An ES256 token of the provider whose keys come from a local file, read from `?token=`. */
  static String fileToken(ECKey with, Consumer<JWTClaimsSet.Builder> edit) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer("https://files.test/")
            .subject("grace")
            .expirationTime(Date.from(now.plusSeconds(300)));
    edit.accept(claims);
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(with.getKeyID()).build(),
              claims.build());
      jwt.sign(new ECDSASigner(with));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aJwksFromALocalFileVerifiesTokensReadFromTheQuery() throws Exception {
    HttpResponse<String> response = Http.get(url("/local/x?token=" + fileToken(fileKey, c -> {})));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.json(response).path("headers").path("x-file-user").asText()).isEqualTo("grace");
    assertThat(status(Http.get(url("/local/x")))).as("missing").isEqualTo(401);
    assertThat(status(get("/local/x", token(c -> {}))))
        .as("the other provider's token, in a place this provider does not read")
        .isEqualTo(401);
    assertThat(status(Http.get(url("/local/x?token=" + token(c -> {})))))
        .as("the other provider's token where this provider reads")
        .isEqualTo(401);
    ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID("f1").generate();
    assertThat(status(Http.get(url("/local/x?token=" + fileToken(impostor, c -> {})))))
        .as("bad signature")
        .isEqualTo(401);
    assertThat(
            status(
                Http.get(
                    url(
                        "/local/x?token="
                            + fileToken(
                                fileKey,
                                c ->
                                    c.expirationTime(
                                        Date.from(Instant.now().minusSeconds(300))))))))
        .as("expired")
        .isEqualTo(401);
  }
}
