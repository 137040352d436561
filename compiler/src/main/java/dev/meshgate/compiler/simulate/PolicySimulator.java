package dev.meshgate.compiler.simulate;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a policy's tests against its compiled Envoy resources, the way Envoy would route and
 * authorize each request, without starting any Envoy: gateway requests go listener → connection
 * manager → route table → virtual host → first matching route → action; east-west calls go to the
 * callee's inbound listener and its RBAC filters, with the caller's SPIFFE ID as principal.
 *
 * <p>Regexes run on RE2/J, Envoy's RE2 in Java. Known gaps against Envoy: percent-encoded paths are
 * not decoded; upstream status codes, retries and timeouts are not simulated (a forwarded request's
 * status is the backend's).
 */
public final class PolicySimulator {
  private PolicySimulator() {}

  /** Every test of {@code policy}, in policy order. */
  public static List<TestResult> run(CompiledPolicy policy) {
    Origins origins = new Origins(policy.ir());
    List<TestResult> results = new ArrayList<>();
    for (PolicyTest test : policy.tests()) {
      List<ExpectationResult> expectations = new ArrayList<>();
      for (Expectation expectation : test.expectations()) {
        expectations.add(
            judge(
                expectation,
                simulate(policy, expectation.request(), expectation.burst(), origins)));
      }
      results.add(new TestResult(test, expectations));
    }
    return results;
  }

  /** What the compiled policy's Envoys would do with {@code request}. */
  public static Simulation simulate(CompiledPolicy policy, TestRequest request) {
    return simulate(policy, request, 1, new Origins(policy.ir()));
  }

  /**
   * What happens to the last of {@code burst} such requests sent at once (local rate limits, issue
   * 13): a route's token bucket answers 429 once it is empty. Only gateway requests come in bursts
   * (the checker refuses others).
   */
  public static Simulation simulate(CompiledPolicy policy, TestRequest request, int burst) {
    return simulate(policy, request, burst, new Origins(policy.ir()));
  }

  private static Simulation simulate(
      CompiledPolicy policy, TestRequest request, int burst, Origins origins) {
    return switch (request) {
      case TestRequest.ViaGateway g -> {
        Optional<ProxyResources> group = policy.group(ProxyGroup.gateway(g.gateway()));
        yield group.isPresent()
            ? GatewayRouting.simulate(group.get(), g, burst, origins)
            : new Simulation(
                new SimulatedOutcome.NotFound("there is no gateway " + g.gateway()),
                Optional.empty(),
                List.of());
      }
      case TestRequest.Call c -> {
        Optional<ProxyResources> callee = policy.group(ProxyGroup.sidecar(c.callee()));
        if (callee.isEmpty()) {
          yield new Simulation(
              new SimulatedOutcome.Refused("service " + c.callee() + " has no sidecar"),
              Optional.empty(),
              List.of());
        }
        Optional<String> identity =
            policy
                .group(ProxyGroup.sidecar(c.caller()))
                .or(() -> policy.group(ProxyGroup.gateway(c.caller())))
                .flatMap(ProxyResources::identity);
        yield Authorization.simulate(callee.get(), c, identity, origins);
      }
    };
  }

  /** Compares a simulation with what was expected. */
  static ExpectationResult judge(Expectation expectation, Simulation simulation) {
    SimulatedOutcome got = simulation.outcome();
    ExpectedOutcome expected = expectation.outcome();
    List<ExpectationResult.CheckFailure> problems = new ArrayList<>();
    boolean outcomeOk =
        switch (expected) {
          case ExpectedOutcome.Forward f ->
              got instanceof SimulatedOutcome.Forwarded fw && sameShares(f.shares(), fw.shares());
          case ExpectedOutcome.Status s ->
              switch (got) {
                case SimulatedOutcome.DirectResponse d -> d.status() == s.status();
                case SimulatedOutcome.Aborted a -> a.status() == s.status();
                case SimulatedOutcome.NotFound n -> s.status() == 404;
                case SimulatedOutcome.Redirected r -> r.status() == s.status();
                case SimulatedOutcome.RateLimited r -> s.status() == 429;
                case SimulatedOutcome.Denied d -> s.status() == 403;
                default -> false;
              };
          case ExpectedOutcome.Fault f ->
              got instanceof SimulatedOutcome.Aborted a && a.status() == f.status();
          case ExpectedOutcome.Redirect r ->
              got instanceof SimulatedOutcome.Redirected rd
                  && rd.status() == r.status()
                  && locationMatches(r.location(), rd.location());
          case ExpectedOutcome.Verdict v ->
              switch (got) {
                case SimulatedOutcome.Allowed a -> v.allowed();
                case SimulatedOutcome.Denied d -> !v.allowed();
                case SimulatedOutcome.Refused r -> !v.allowed();
                default -> false;
              };
        };
    String gotText = describe(got, expected);
    for (Expectation.HeaderCheck check : expectation.checks()) {
      headerProblem(check, got)
          .ifPresent(p -> problems.add(new ExpectationResult.CheckFailure(check, p)));
    }
    return new ExpectationResult(
        expectation, simulation, expectation.expectedText(), gotText, outcomeOk, problems);
  }

  private static boolean sameShares(
      List<ExpectedOutcome.Share> expected, List<ExpectedOutcome.Share> got) {
    if (expected.size() != got.size()) {
      return false;
    }
    for (ExpectedOutcome.Share e : expected) {
      if (got.stream()
          .noneMatch(
              g -> g.cluster().equals(e.cluster()) && Percent.same(g.percent(), e.percent()))) {
        return false;
      }
    }
    return true;
  }

  /** An expected location starting with "/" is compared with the Location's path and query. */
  static boolean locationMatches(String expected, String location) {
    return expected.startsWith("/")
        ? pathAndQuery(location).equals(expected)
        : location.equals(expected);
  }

  static String pathAndQuery(String location) {
    int scheme = location.indexOf("://");
    if (scheme < 0) {
      return location;
    }
    int slash = location.indexOf('/', scheme + 3);
    return slash < 0 ? "/" : location.substring(slash);
  }

  /**
   * The outcome in the language's words, a redirect's location in the form the expectation uses.
   */
  static String describe(SimulatedOutcome got, ExpectedOutcome expected) {
    return switch (got) {
      case SimulatedOutcome.Forwarded f ->
          f
              + (expected instanceof ExpectedOutcome.Forward
                  ? ""
                  : " (forwarded upstream, whose backend decides the status)");
      case SimulatedOutcome.DirectResponse d ->
          d.status()
              + (d.body().isEmpty() ? "" : " \"" + d.body() + "\"")
              + " (answered by the gateway)";
      case SimulatedOutcome.Aborted a ->
          (expected instanceof ExpectedOutcome.Fault ? "fault " : "")
              + a.status()
              + " \""
              + FaultAborts.BODY
              + "\" (a fault abort by the gateway)";
      case SimulatedOutcome.Redirected r ->
          "redirect "
              + r.status()
              + " \""
              + (expected instanceof ExpectedOutcome.Redirect e && e.location().startsWith("/")
                  ? pathAndQuery(r.location())
                  : r.location())
              + "\"";
      case SimulatedOutcome.RateLimited r ->
          "429 \""
              + SimulatedOutcome.RateLimited.BODY
              + "\" (request "
              + r.burst()
              + " of the burst finds the route's local rate limit bucket of "
              + r.bucket()
              + " empty)";
      case SimulatedOutcome.NotSimulated n -> "nothing the simulator can know: " + n.reason();
      case SimulatedOutcome.NotFound n -> "404 (" + n.reason() + ")";
      case SimulatedOutcome.Allowed a -> "allowed";
      case SimulatedOutcome.Denied d -> "denied (403)";
      case SimulatedOutcome.Refused r -> "denied (connection refused: " + r.reason() + ")";
    };
  }

  /**
   * The upstream's headers and its {@code :path} (after rewrites, with the query), so a test can
   * expect a rewritten path as {@code with request-header ":path" = "/v2/items"}.
   */
  private static Map<String, String> withPath(SimulatedOutcome.Forwarded f) {
    Map<String, String> headers = new java.util.LinkedHashMap<>(f.upstreamHeaders());
    headers.put(":path", f.upstreamPath());
    return headers;
  }

  private static Optional<String> headerProblem(
      Expectation.HeaderCheck check, SimulatedOutcome got) {
    Optional<Map<String, String>> headers =
        switch (check.direction()) {
          case REQUEST ->
              got instanceof SimulatedOutcome.Forwarded f
                  ? Optional.of(withPath(f))
                  : Optional.empty();
          case RESPONSE ->
              switch (got) {
                case SimulatedOutcome.Forwarded f -> Optional.of(f.responseHeaders());
                case SimulatedOutcome.DirectResponse d -> Optional.of(d.responseHeaders());
                case SimulatedOutcome.Aborted a -> Optional.of(a.responseHeaders());
                case SimulatedOutcome.Redirected r -> Optional.of(r.responseHeaders());
                case SimulatedOutcome.RateLimited r -> Optional.of(r.responseHeaders());
                default -> Optional.empty();
              };
        };
    if (headers.isEmpty()) {
      return Optional.of(
          "expected "
              + check
              + ", but "
              + (check.direction() == Expectation.HeaderCheck.Direction.REQUEST
                  ? "no request goes upstream"
                  : "the proxy sends no response of a route"));
    }
    String actual = headers.get().get(check.name());
    if (check.value().equals(actual)) {
      return Optional.empty();
    }
    return Optional.of(
        "expected "
            + check
            + ", got "
            + (actual == null
                ? (check.direction() == Expectation.HeaderCheck.Direction.RESPONSE
                    ? "no such header from the route (only the backend could add it)"
                    : "no such header")
                : "\"" + actual + "\""));
  }
}
