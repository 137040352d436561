package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.meshgate.cli.Meshgate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * OIDC login (issue 12) through a real Envoy configured by a real `meshgate serve`, against a real
 * OpenID provider (mock-oauth2-server, in this JVM on a loopback port, non-interactive login): the
 * authorization code flow as a browser walks it (each redirect followed by hand, cookies kept by
 * hand: Envoy's session cookies are {@code Secure}, which the JDK's cookie manager keeps from plain
 * http), the access token forwarded to the backend (and verified by a JWT filter on a route that
 * also requires a JWT), a public route, logout, and the client secret reaching the provider through
 * SDS but never the compiled output, {@code meshgate config} or the server's log.
 */
@ExtendWith(PrintLogsOnFailure.class)
class OidcIT {
  private static final String POLICY =
      """
      service web { source static ${web} }

      gateway edge {
        listen 127.0.0.1:${http}

        oidc-provider "corp" {
          authorization-endpoint "${authorize}"
          token-endpoint "${token}"
          client-id "shop-web"
          client-secret file "corp-client-secret"
          scopes "openid", "email"
        }

        # The same provider's access tokens, verified after the login (OIDC runs before JWT).
        jwt-provider "corp-tokens" {
          issuer "${issuer}"
          jwks "${jwks}" cache 1m
          claim "sub" to-header "x-user"
        }

        host "*" {
          require oidc "corp"
          route /public/** {
            require none
            to web
          }
          route /claims/** {
            require jwt "corp-tokens"
            to web
          }
          route /** { to web }
        }
      }
      """;

  @TempDir static Path work;
  static OpenIdProvider idp;
  static Backend web;
  static MeshgateProcess meshgate;
  static EnvoyProcess envoy;
  static int http;
  static String clientSecret;
  static Path policyDir;

  @BeforeAll
  static void start() throws Exception {
    idp = OpenIdProvider.start(work);
    web = Backend.start("web");
    http = FreePorts.next();
    clientSecret = "oidc-client-secret-" + UUID.randomUUID();
    Policy.write(work.resolve("policy/corp-client-secret"), clientSecret + "\n");
    Path policy =
        Policy.write(
            work.resolve("policy/policy.mesh"),
            Policy.render(
                POLICY,
                Map.of(
                    "web", web.address(),
                    "http", http,
                    "authorize", idp.authorizationEndpoint().toString(),
                    "token", idp.tokenEndpoint().toString(),
                    "issuer", idp.issuer().toString(),
                    "jwks", idp.jwksEndpoint().toString())));
    policyDir = policy.getParent();
    dev.meshgate.bootstrap.testing.RequiredEnvoy.path();
    meshgate = MeshgateProcess.start(policyDir, work);
    envoy = GatewayStack.startEnvoy("edge", meshgate, work, 1);
    Wait.until(
        Duration.ofSeconds(30),
        "the gateway sending browsers to the provider",
        () -> get("/app", Map.of()).statusCode() == 302);
  }

  @AfterEach
  void envoyRejectedNothing() {
    envoy.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(envoy, meshgate, web, idp);
  }

  @Test
  void aBrowserLogsInAndTheBackendGetsTheProvidersAccessToken() throws Exception {
    Map<String, String> cookies = new LinkedHashMap<>();

    // 1. No session: Envoy sends the browser to the provider's authorization endpoint.
    HttpResponse<String> first = get("/app/orders?page=2", cookies);
    assertThat(first.statusCode()).isEqualTo(302);
    URI authorize = URI.create(location(first));
    assertThat(authorize.toString()).startsWith(idp.authorizationEndpoint().toString());
    Map<String, String> query = query(authorize);
    assertThat(query)
        .containsEntry("client_id", "shop-web")
        .containsEntry("response_type", "code")
        .containsEntry("redirect_uri", "http://127.0.0.1:" + http + "/oauth2/callback");
    assertThat(query.get("scope")).isEqualTo("openid email");
    keep(first, cookies);

    // 2. The provider logs the user in (non-interactive) and sends the code back to Envoy.
    HttpResponse<String> login = Http.get(authorize.toString());
    assertThat(login.statusCode()).isEqualTo(302);
    URI callback = URI.create(location(login));
    assertThat(callback.getPath()).isEqualTo("/oauth2/callback");
    assertThat(query(callback)).containsKey("code");

    // 3. Envoy exchanges the code at the token endpoint, sets the session, returns to the page.
    idp.forgetTokenRequests();
    HttpResponse<String> back = get(callback.getRawPath() + "?" + callback.getRawQuery(), cookies);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
    assertThat(location(back)).endsWith("/app/orders?page=2");
    keep(back, cookies);
    assertThat(cookies).containsKeys("BearerToken", "OauthHMAC", "OauthExpires");
    OpenIdProvider.TokenRequest exchange = idp.takeTokenRequest(Duration.ofSeconds(10));
    assertThat(exchange.method()).isEqualTo("POST");
    assertThat(exchange.body())
        .as("the client secret reached the provider (over SDS to Envoy)")
        .contains("grant_type=authorization_code")
        .contains("client_secret=" + clientSecret);

    // 4. With the session: the backend answers and gets the provider's access token.
    HttpResponse<String> app = get("/app/orders?page=2", cookies);
    assertThat(app.statusCode()).isEqualTo(200);
    JsonNode seen = Http.json(app);
    assertThat(seen.path("path").asText()).isEqualTo("/app/orders");
    String authorization = seen.path("headers").path("authorization").asText();
    assertThat(authorization).startsWith("Bearer ");
    SignedJWT token = SignedJWT.parse(authorization.substring("Bearer ".length()));
    assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(idp.issuer().toString());
    RSAKey key =
        (RSAKey)
            JWKSet.load(idp.jwksEndpoint().toURL()).getKeyByKeyId(token.getHeader().getKeyID());
    assertThat(token.verify(new RSASSAVerifier(key))).as("signed by the provider").isTrue();
    // A header the browser sends itself does not reach the backend: Envoy sets it from the session.
    Map<String, String> withForged = new LinkedHashMap<>(cookies);
    HttpResponse<String> injected =
        Http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/app"))
                .header("authorization", "Bearer forged")
                .header("cookie", cookieHeader(withForged))
                .timeout(Http.REQUEST_TIMEOUT)
                .build());
    assertThat(injected.statusCode()).isEqualTo(200);
    assertThat(Http.json(injected).path("headers").path("authorization").asText())
        .isEqualTo(authorization);

    // With the session, a route that also requires a JWT verifies the access token: its `sub`
    // reaches the backend as a header only from a verified token.
    HttpResponse<String> claims = get("/claims/me", cookies);
    assertThat(claims.statusCode()).as(claims.body()).isEqualTo(200);
    assertThat(Http.json(claims).path("headers").path("x-user").asText())
        .isNotEmpty()
        .isEqualTo(token.getJWTClaimsSet().getSubject());

    // 5. Logout clears the session: the next request goes to the provider again.
    HttpResponse<String> logout = get("/logout", cookies);
    assertThat(logout.statusCode()).isEqualTo(302);
    keep(logout, cookies);
    assertThat(cookies).doesNotContainKeys("BearerToken", "OauthHMAC");
    HttpResponse<String> after = get("/app/orders", cookies);
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(location(after)).startsWith(idp.authorizationEndpoint().toString());
  }

  @Test
  void aRouteThatAlsoRequiresAJwtSendsABrowserWithoutSessionToLogIn() {
    HttpResponse<String> response = get("/claims/me", Map.of());
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(location(response)).startsWith(idp.authorizationEndpoint().toString());
  }

  @Test
  void aPublicRouteNeedsNoLogin() {
    HttpResponse<String> response = get("/public/logo.png", Map.of());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.json(response).path("headers").has("authorization")).isFalse();
    assertThat(response.headers().allValues("set-cookie")).isEmpty();
  }

  @Test
  void aForgedSessionCookieIsSentToLogIn() {
    Map<String, String> forged =
        Map.of("BearerToken", "forged", "OauthHMAC", "forged", "OauthExpires", "9999999999");
    HttpResponse<String> response = get("/app", forged);
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(location(response)).startsWith(idp.authorizationEndpoint().toString());
  }

  @Test
  void theClientSecretIsNeverShown() throws Exception {
    Path out = work.resolve("compiled");
    Result compile = run("compile", policyDir.toString(), "-o", out.toString());
    assertThat(compile.exit()).as(compile.err()).isZero();
    String compiled;
    try (Stream<Path> files = Files.walk(out)) {
      compiled = files.filter(Files::isRegularFile).map(OidcIT::read).reduce("", String::concat);
    }
    assertThat(compiled).contains("oidc:corp:client-secret").doesNotContain(clientSecret);

    Result config = run("config", "edge", "-o", "json", "--server", meshgate.adminUrl(""));
    assertThat(config.exit()).as(config.err()).isZero();
    assertThat(config.out()).contains("oidc:corp:client-secret").doesNotContain(clientSecret);
    assertThat(Http.get(meshgate.adminUrl("/status")).body()).doesNotContain(clientSecret);
    assertThat(meshgate.logText()).doesNotContain(clientSecret);
  }

  record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Meshgate.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A request to the gateway with the cookies a browser would send. */
  private static HttpResponse<String> get(String pathAndQuery, Map<String, String> cookies) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + pathAndQuery))
            .timeout(Http.REQUEST_TIMEOUT);
    if (!cookies.isEmpty()) {
      request.header("cookie", cookieHeader(cookies));
    }
    return Http.send(request.build());
  }

  private static String cookieHeader(Map<String, String> cookies) {
    return String.join(
        "; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  private static String location(HttpResponse<String> response) {
    return response
        .headers()
        .firstValue("location")
        .orElseThrow(() -> new AssertionError("no location in " + response.headers().map()));
  }

  /** Stores the response's cookies; an expired or emptied one is dropped, as a browser does. */
  private static void keep(HttpResponse<String> response, Map<String, String> cookies) {
    for (String header : response.headers().allValues("set-cookie")) {
      String pair = header.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      String attributes = header.toLowerCase(java.util.Locale.ROOT);
      boolean expired =
          value.isEmpty()
              || value.equals("deleted")
              || attributes.contains("max-age=0")
              || attributes.contains("expires=thu, 01 jan 1970");
      if (expired) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String part : List.of(uri.getRawQuery().split("&"))) {
      int eq = part.indexOf('=');
      values.put(
          URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }
}
