package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * local rate limits (issue 13) through a real Envoy configured by a real {@code meshgate serve}:
 * N+k requests in a window see exactly k answered 429 (the buckets refill once an hour, so no
 * refill can blur the count), each value of a key has its own bucket, a dry run refuses nothing,
 * and a host's limit is the default of each of its routes. Each test uses routes of its own, so the
 * order tests run in does not matter.
 */
@ExtendWith(PrintLogsOnFailure.class)
class RateLimitIT {
  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${port}
        jwt-provider "idp" {
          issuer "https://idp.test/"
          jwks file "local.jwks.json"
        }

        host "*" {
          route /probe { to echo }
          route /plain/** { to echo  rate-limit 3 per 1h }
          route /keyed/** { to echo  rate-limit 2 per 1h by header "x-client" }
          route /dry/** { to echo  rate-limit 1 per 1h dry-run }
          route /answered { respond 200 "ok"  rate-limit 1 per 1h }
          route /ip/** { to echo  rate-limit 2 per 1h by client-ip }
          route /per-user/** { require jwt "idp"  to echo  rate-limit 2 per 1h by jwt claim "sub" }
        }

        host "limited.example" {
          rate-limit 2 per 1h
          route /a/** { to echo }
          route /b/** { to echo }
          route /own/** { to echo  rate-limit 4 per 1h burst 4 }
        }
      }
      """;

  @org.junit.jupiter.api.io.TempDir static Path work;
  static Backend echo;
  static GatewayStack stack;

  static RSAKey key;

  @BeforeAll
  static void start() throws com.nimbusds.jose.JOSEException {
    echo = Backend.start("echo");
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    Policy.write(work.resolve("policy/local.jwks.json"), new JWKSet(key.toPublicJWK()).toString());
    int port = FreePorts.next();
    stack =
        GatewayStack.start(
            work,
            "edge",
            port,
            Policy.render(POLICY, Map.of("echo", echo.address(), "port", port)));
    // Routes arrive over RDS after the listener: wait on a route without a limit, so no probe
    // takes a token.
    Wait.until(
        Duration.ofSeconds(30),
        "the routes to be served",
        () -> Http.get(stack.url("/probe")).statusCode() == 200);
  }

  @AfterEach
  void envoyRejectedNothing() {
    stack.envoy().assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(stack, echo);
  }

  @Test
  void nPlusKRequestsSeeExactlyKRefusedWithRateLimitHeaders() {
    int before = echo.requests();
    List<HttpResponse<String>> responses = send(5, "/plain/x");

    assertThat(statuses(responses)).containsExactly(200, 200, 200, 429, 429);
    HttpResponse<String> refused = responses.get(3);
    String seen = "headers " + refused.headers().map();
    // 3 per hour: Envoy adds a token every 20 minutes.
    assertThat(refused.headers().firstValue("retry-after")).as(seen).hasValue("1200");
    assertThat(refused.headers().firstValue("x-ratelimit-limit")).as(seen).hasValue("3");
    assertThat(refused.headers().firstValue("x-ratelimit-remaining")).as(seen).hasValue("0");
    assertThat(refused.headers().firstValue("x-ratelimit-reset")).as(seen).isPresent();
    // Passed requests carry the rate-limit headers too, counting down.
    HttpResponse<String> passed = responses.get(1);
    assertThat(passed.headers().firstValue("x-ratelimit-remaining"))
        .as("headers %s", passed.headers().map())
        .hasValue("1");
    assertThat(passed.headers().firstValue("retry-after")).isEmpty();
    assertThat(echo.requests() - before).as("requests that reached the backend").isEqualTo(3);
  }

  @Test
  void eachValueOfTheKeyHasItsOwnBucket() {
    assertThat(statuses(send(3, "/keyed/x", "x-client", "alice"))).containsExactly(200, 200, 429);
    assertThat(statuses(send(3, "/keyed/x", "x-client", "bob"))).containsExactly(200, 200, 429);
    // Requests without the header share the route's one bucket, untouched by alice and bob.
    assertThat(statuses(send(3, "/keyed/x"))).containsExactly(200, 200, 429);
    assertThat(statuses(send(1, "/keyed/x", "x-client", "carol"))).containsExactly(200);
  }

  @Test
  void aDryRunRefusesNothingAndCountsWhatItWouldHave() {
    long before = rateLimited();

    assertThat(statuses(send(4, "/dry/x"))).containsExactly(200, 200, 200, 200);
    Wait.until(
        Duration.ofSeconds(10),
        "the dry run's over-limit requests to be counted",
        () -> rateLimited() - before >= 3);
    // docs/traffic-limits.md names this counter: the route's own (the dry run's is the 4th).
    assertThat(
            stack
                .envoy()
                .stat("local_rate_limit.__4.http_local_rate_limit.rate_limited")
                .orElse(-1))
        .as("stats %s", stack.envoy().stats("rate_limit"))
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void aDirectResponseIsLimitedToo() {
    assertThat(statuses(send(2, "/answered"))).containsExactly(200, 429);
  }

  @Test
  void aHostsLimitIsTheDefaultOfEachOfItsRoutesAndARoutesOwnWins() {
    assertThat(statuses(send(3, "/a/x", "Host", "limited.example"))).containsExactly(200, 200, 429);
    assertThat(statuses(send(3, "/b/x", "Host", "limited.example"))).containsExactly(200, 200, 429);
    assertThat(statuses(send(5, "/own/x", "Host", "limited.example")))
        .containsExactly(200, 200, 200, 200, 429);
  }

  @Test
  void aClientAddressHasItsBucket() {
    // Every request of this test comes from 127.0.0.1: one bucket.
    assertThat(statuses(send(3, "/ip/x"))).containsExactly(200, 200, 429);
  }

  @Test
  void eachSubjectOfAVerifiedTokenHasItsOwnBucket() {
    String ada = "Bearer " + token("ada");
    String bob = "Bearer " + token("bob");
    assertThat(statuses(send(3, "/per-user/x", "authorization", ada)))
        .containsExactly(200, 200, 429);
    assertThat(statuses(send(3, "/per-user/x", "authorization", bob)))
        .containsExactly(200, 200, 429);
    // A new token of the same subject takes from the same bucket.
    assertThat(statuses(send(1, "/per-user/x", "authorization", "Bearer " + token("ada"))))
        .containsExactly(429);
  }

  /** A token of the idp for {@code subject}, valid for 5 minutes. */
  private static String token(String subject) {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer("https://idp.test/")
            .subject(subject)
            .jwtID(java.util.UUID.randomUUID().toString())
            .issueTime(Date.from(now.minusSeconds(5)))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .build();
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<HttpResponse<String>> send(int count, String path, String... headers) {
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      responses.add(Http.get(stack.url(path), headers));
    }
    return responses;
  }

  private static List<Integer> statuses(List<HttpResponse<String>> responses) {
    return responses.stream().map(HttpResponse::statusCode).toList();
  }

  /** Requests over a limit, enforced or not, on every listener. */
  private static long rateLimited() {
    return stack.envoy().stats("local_rate_limit.*rate_limited").values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }
}
