package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * global rate limits (issue 13) through real Envoys configured by a real {@code meshgate serve}:
 * TWO Envoys of gateway {@code edge} (two replicas, one listening port shared with SO_REUSEPORT, so
 * the kernel spreads connections between them) ask one real Envoy rate-limit service backed by a
 * real Redis, whose configuration {@code meshgate serve --ratelimit-config} writes. The budget is
 * shared: N requests spread over both Envoys see exactly N - limit refusals. Windows are a day long
 * (the service counts in fixed windows), so no window ends within a test but at midnight UTC.
 */
@ExtendWith(PrintLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GlobalRateLimitIT {
  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${port}
        rate-limit service "${ratelimit}" timeout 2s ${failure}

        host "*" {
          route /probe { to echo }
          route /shared/** { to echo  rate-limit 3 per 1d global }
          route /keyed/** { to echo  rate-limit 2 per 1d global by header "x-client" }
          route /dry/** { to echo  rate-limit 1 per 1d global dry-run }
          route /local/** { to echo  rate-limit 2 per 1h }
          ${later}
        }
      }
      """;

  @org.junit.jupiter.api.io.TempDir static Path work;
  static Backend echo;
  static RateLimitService ratelimit;
  static MeshgateProcess meshgate;
  static EnvoyProcess first;
  static EnvoyProcess second;
  static int port;

  @BeforeAll
  static void start() {
    echo = Backend.start("echo");
    ratelimit = RateLimitService.start(work.resolve("ratelimit"));
    port = FreePorts.next();
    Path policy = Policy.write(work.resolve("policy/policy.mesh"), policy(""));
    meshgate =
        MeshgateProcess.start(
            policy.getParent(), work, "--ratelimit-config", ratelimit.configDir().toString());
    first = GatewayStack.startEnvoy("edge", meshgate, work, 1);
    second = GatewayStack.startEnvoy("edge", meshgate, work, 1);
    Wait.until(
        Duration.ofSeconds(30),
        "the routes to be served",
        () -> fresh("/probe").statusCode() == 200 ? Optional.of(true) : Optional.empty());
    Wait.until(
        Duration.ofSeconds(30),
        "the rate-limit service to load the gateway's limits",
        () ->
            ratelimit.loadedConfig().contains("edge.route_")
                ? Optional.of(true)
                : Optional.empty());
  }

  private static String policy(String failure) {
    return policy(failure, "");
  }

  private static String policy(String failure, String later) {
    return Policy.render(
        POLICY,
        Map.of(
            "echo",
            echo.address(),
            "port",
            port,
            "ratelimit",
            ratelimit.grpcAddress(),
            "failure",
            failure,
            "later",
            later));
  }

  @AfterEach
  void envoysRejectedNothing() {
    first.assertNothingRejected();
    second.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(second, first, meshgate, ratelimit, echo);
  }

  @Test
  @Order(1)
  void serveWritesTheServicesConfigurationFromThePolicy() throws IOException {
    String config = Files.readString(ratelimit.configDir().resolve("edge.yaml"));
    assertThat(config)
        .contains("domain: edge")
        .contains("value: '*/2'")
        .contains("unit: day")
        .contains("requests_per_unit: 3")
        .contains("shadow_mode: true");
    try (var files = Files.list(ratelimit.configDir())) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("edge.yaml");
    }
  }

  @Test
  @Order(2)
  void twoEnvoysShareOneBudget() {
    long before = asked(first) + asked(second);
    List<HttpResponse<String>> responses = new ArrayList<>();
    // Each request on a new connection; the kernel hashes connections over both Envoys' sockets.
    // Go on until both have asked the service (bounded), so both took from the one budget.
    while (responses.size() < 8
        || (responses.size() < 60 && (asked(first) == 0 || asked(second) == 0))) {
      responses.add(fresh("/shared/x"));
    }
    String seen =
        "first asked "
            + asked(first)
            + ", second asked "
            + asked(second)
            + " (before "
            + before
            + "); statuses "
            + statuses(responses)
            + "; stats "
            + first.stats("ratelimit");
    assertThat(asked(first)).as(seen).isPositive();
    assertThat(asked(second)).as(seen).isPositive();

    List<Integer> statuses = statuses(responses);
    assertThat(statuses.subList(0, 3)).as(seen).containsOnly(200);
    assertThat(statuses.subList(3, statuses.size())).as(seen).containsOnly(429);

    HttpResponse<String> refused = responses.get(3);
    String headers = "headers " + refused.headers().map();
    assertThat(refused.headers().firstValue("x-envoy-ratelimited")).as(headers).hasValue("true");
    assertThat(refused.headers().firstValue("x-ratelimit-limit")).as(headers).isPresent();
    assertThat(refused.headers().firstValue("x-ratelimit-limit").orElseThrow())
        .as(headers)
        .startsWith("3");
    assertThat(refused.headers().firstValue("x-ratelimit-remaining")).as(headers).hasValue("0");
    assertThat(refused.headers().firstValue("x-ratelimit-reset")).as(headers).isPresent();
  }

  @Test
  @Order(3)
  void eachValueOfTheKeyHasItsOwnBudgetAcrossBothEnvoys() {
    assertThat(statuses(send(3, "/keyed/x", "x-client", "alice"))).containsExactly(200, 200, 429);
    assertThat(statuses(send(3, "/keyed/x", "x-client", "bob"))).containsExactly(200, 200, 429);
    // Requests without the header share the route's own budget, untouched by alice and bob.
    assertThat(statuses(send(3, "/keyed/x"))).containsExactly(200, 200, 429);
    assertThat(statuses(send(1, "/keyed/x", "x-client", "carol"))).containsExactly(200);
  }

  @Test
  @Order(4)
  void aDryRunRefusesNothing() {
    assertThat(statuses(send(4, "/dry/x"))).containsExactly(200, 200, 200, 200);
  }

  @Test
  @Order(5)
  void aLocalLimitBesideThemStaysPerEnvoy() {
    // 2 per hour in each Envoy: however the connections spread, at least 2 and at most 4 pass.
    long passed = statuses(send(8, "/local/x")).stream().filter(s -> s == 200).count();
    assertThat(passed).isBetween(2L, 4L);
  }

  @Test
  @Order(6)
  void aReloadedPolicyReachesTheServiceAndBothEnvoys() {
    Policy.write(
        work.resolve("policy/policy.mesh"),
        policy("", "route /later/** { to echo  rate-limit 1 per 1d global }"));
    Wait.until(
        Duration.ofSeconds(30),
        "the rate-limit service to load the new route's limit",
        () ->
            ratelimit.loadedConfig().contains("edge.route_*/6")
                ? Optional.of(true)
                : Optional.empty());
    Wait.until(
        Duration.ofSeconds(30),
        "both Envoys to have the new route",
        () ->
            first.configDump("RoutesConfigDump").toString().contains("/later")
                    && second.configDump("RoutesConfigDump").toString().contains("/later")
                ? Optional.of(true)
                : Optional.empty());
    assertThat(statuses(send(4, "/later/x"))).containsExactly(200, 429, 429, 429);
  }

  @Test
  @Order(7)
  void withoutTheServiceFailOpenLetsRequestsThroughAndFailClosedRefusesThem() {
    ratelimit.stopService();
    // The shared budget is spent (test 2), yet with the service gone requests pass (fail-open).
    Wait.until(
        Duration.ofSeconds(30),
        "requests over the spent budget to pass while the service is down",
        () -> fresh("/shared/x").statusCode() == 200 ? Optional.of(true) : Optional.empty());
    assertThat(statuses(send(4, "/shared/x"))).containsOnly(200);

    Policy.write(
        work.resolve("policy/policy.mesh"),
        policy("fail-closed", "route /later/** { to echo  rate-limit 1 per 1d global }"));
    Wait.until(
        Duration.ofSeconds(30),
        "both Envoys to refuse requests with fail-closed",
        () ->
            statuses(send(6, "/shared/x")).stream().allMatch(s -> s == 500)
                ? Optional.of(true)
                : Optional.empty());
    // Routes without a global limit do not ask the service.
    assertThat(fresh("/probe").statusCode()).isEqualTo(200);
  }

  /** The times this Envoy asked the rate-limit service (answers ok or over the limit). */
  private static long asked(EnvoyProcess envoy) {
    // cluster.<route's cluster>.<the filter's stat_prefix, or ratelimit>.{ok,over_limit}
    return envoy
        .stats("^cluster\\.echo\\..*(ratelimit|global_rate_limit).*\\.(ok|over_limit)$")
        .values()
        .stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /** One GET on a new connection (so consecutive requests may reach either Envoy). */
  private static HttpResponse<String> fresh(String path, String... headers) {
    try (HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Http.REQUEST_TIMEOUT);
      if (headers.length > 0) {
        request.headers(headers);
      }
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<HttpResponse<String>> send(int count, String path, String... headers) {
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      responses.add(fresh(path, headers));
    }
    return responses;
  }

  private static List<Integer> statuses(List<HttpResponse<String>> responses) {
    return responses.stream().map(HttpResponse::statusCode).toList();
  }
}
