package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.simulate.PolicySimulator;
import dev.meshgate.compiler.simulate.SimulatedOutcome;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator ({@code meshgate test}), proven against Envoy: random gateway policies ({@link
 * DiffGenerator}: hosts with exact and wildcard domains, routes with exact, prefix and regex paths,
 * methods, header and query conditions (exact and regex), {@code or} alternatives, prefix and host
 * rewrites, request and response header changes on routes, hosts and the gateway, redirects, direct
 * responses, splits, fault aborts) and random requests aimed at them; each request goes through the
 * simulator and through a real Envoy configured by a real {@code meshgate serve}, and both must
 * agree on the outcome ({@link DiffOutcomes}: the backend and so the cluster, the status, the
 * upstream path, the {@code x-g-*} and {@code host} headers the backend got, the {@code x-g-*}
 * response headers, a direct response's body, a redirect's Location). A split is only checked for
 * the cluster being one of those with a share above 0%.
 *
 * <p>One server and one Envoy serve the whole run: each policy is written over the last, and the
 * requests start once Envoy serves it (its probe host answers the policy's generation number).
 * Policies that shadow or repeat routes are kept, with the findings silenced, so Envoy gets dead
 * routes too.
 *
 * <p>A disagreement is shrunk (hosts, routes, alternatives, conditions, header changes, rewrites,
 * request headers dropped while it persists) and reported with the seed. Settings (system
 * properties):
 *
 * <ul>
 *   <li>{@code meshgate.simdiff.seed}: the run's seed (default: a fixed one, so {@code verify} is
 *       reproducible); every policy {@code i} has its own seed derived from it, printed on failure;
 *   <li>{@code meshgate.simdiff.policies}, {@code meshgate.simdiff.requests}: policies, and
 *       requests per policy (default 50 × 25 = 1,250 pairs, about 15 s with the server and Envoy
 *       started);
 *   <li>{@code meshgate.simdiff.keep-going}: report every disagreement (the first of each kind
 *       shrunk) instead of stopping at the first.
 * </ul>
 *
 * <p>The long run (CONTRIBUTING.md, "The simulator against Envoy"):
 *
 * <pre>
 * ./mvnw -B -ntp -q -pl integration-tests -am verify -Dtest=SimulatorDifferentialIT \
 *   -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dmeshgate.simdiff.seed=$RANDOM$RANDOM -Dmeshgate.simdiff.policies=2000 \
 *   -Dmeshgate.simdiff.keep-going=true
 * </pre>
 */
@ExtendWith(PrintLogsOnFailure.class)
class SimulatorDifferentialIT {
  static final long SEED = Long.getLong("meshgate.simdiff.seed", 20261205L);
  static final int POLICIES = Integer.getInteger("meshgate.simdiff.policies", 50);
  static final int REQUESTS = Integer.getInteger("meshgate.simdiff.requests", 25);
  static final boolean KEEP_GOING = Boolean.getBoolean("meshgate.simdiff.keep-going");
  private static final int SHRINK_RELOADS = 150;
  private static final Duration SERVED_WITHIN = Duration.ofSeconds(15);

  /** Findings the generator may cause on purpose: dead routes (Envoy gets them all the same). */
  private static final Set<String> SILENCED = Set.of("MG408", "MG409", "MG701");

  @TempDir static Path work;
  static List<Backend> backends;
  static String services;
  static String listen;
  static GatewayStack stack;
  static long generation;

  @BeforeAll
  static void start() {
    Backend alpha = Backend.start("alpha");
    Backend betaV1 = Backend.start("beta-v1");
    Backend betaV2 = Backend.start("beta-v2");
    Backend gamma = Backend.start("gamma");
    backends = List.of(alpha, betaV1, betaV2, gamma);
    backends.forEach(b -> b.responseHeader(DiffOutcomes.BACKEND_HEADER, b.name()));
    services =
        DiffPolicy.services(alpha.address(), betaV1.address(), betaV2.address(), gamma.address());
    int port = FreePorts.next();
    listen = "127.0.0.1:" + port;
    Compiled first = compile(new DiffPolicy(List.of(), List.of()), generation);
    // Each policy replaces the last: most of its routes go, which the removal guard would hold.
    stack = GatewayStack.start(work, "edge", port, first.text(), "--allow-removal");
    awaitServed(generation);
  }

  @AfterAll
  static void stop() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(stack);
    all.addAll(backends);
    Closer.closeAll(all.toArray(AutoCloseable[]::new));
  }

  @Test
  void theSimulatorAndEnvoyAgreeOnRandomPoliciesAndRequests() {
    long started = System.nanoTime();
    int pairs = 0;
    Map<String, Failure> firstOfEachKind = new LinkedHashMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    System.out.printf(
        "SimulatorDifferentialIT: seed %d, %d policies x %d requests%n", SEED, POLICIES, REQUESTS);
    for (int p = 0; p < POLICIES; p++) {
      long policySeed = policySeed(p);
      DiffGenerator generator = new DiffGenerator(new Random(policySeed));
      DiffPolicy policy = generator.policy();
      Compiled served = serve(policy);
      for (int r = 0; r < REQUESTS; r++) {
        DiffRequest request = generator.request(policy);
        pairs++;
        Optional<String> mismatch = check(served, request);
        if (mismatch.isEmpty()) {
          continue;
        }
        Failure failure = new Failure(p, policySeed, policy, request, mismatch.get());
        Set<String> kinds = kinds(mismatch.get());
        kinds.forEach(k -> counts.merge(k, 1, Integer::sum));
        if (!KEEP_GOING) {
          throw new AssertionError(report(failure, shrink(failure)));
        }
        firstOfEachKind.putIfAbsent(String.join(" + ", kinds), failure);
      }
    }
    System.out.printf(
        "SimulatorDifferentialIT: %d request x policy pairs agreed in %d s%n",
        pairs, (System.nanoTime() - started) / 1_000_000_000);
    if (!firstOfEachKind.isEmpty()) {
      StringBuilder sb = new StringBuilder("disagreements by kind: " + counts + "\n");
      for (Map.Entry<String, Failure> e : new LinkedHashMap<>(firstOfEachKind).entrySet()) {
        sb.append("\n=== ").append(e.getKey()).append('\n');
        sb.append(report(e.getValue(), shrink(e.getValue())));
      }
      throw new AssertionError(sb.toString());
    }
    stack.envoy().assertNothingRejected();
    assertThat(pairs).as("request x policy pairs").isEqualTo(POLICIES * REQUESTS);
  }

  // ------------------------------------------------------------------ one pair

  static long policySeed(int index) {
    return new Random(SEED + 0x9E3779B97F4A7C15L * index).nextLong();
  }

  /** Sends {@code request} to Envoy (serving {@code served}) and compares with the simulator. */
  private static Optional<String> check(Compiled served, DiffRequest request) {
    SimulatedOutcome simulated = simulate(served, request);
    HttpResponse<String> envoy = send(request);
    return DiffOutcomes.mismatch(simulated, envoy, request);
  }

  private static SimulatedOutcome simulate(Compiled served, DiffRequest request) {
    return PolicySimulator.simulate(served.policy(), request.simulated()).outcome();
  }

  private static HttpResponse<String> send(DiffRequest request) {
    return Http.send(
        request.method(),
        stack.url(request.path() + request.encodedQuery()),
        request.headerArray());
  }

  /** "upstream headers", "served by", …: the first two words of each problem. */
  private static Set<String> kinds(String mismatch) {
    Set<String> kinds = new TreeSet<>();
    for (String problem : mismatch.split("; ")) {
      String[] words = problem.split(" ");
      kinds.add(words.length > 1 ? words[0] + " " + words[1] : words[0]);
    }
    return kinds;
  }

  // ------------------------------------------------------------------ serving a policy

  record Compiled(String text, CompiledPolicy policy) {}

  /** Writes {@code policy} for the running server and returns once Envoy serves it. */
  private static Compiled serve(DiffPolicy policy) {
    generation++;
    Compiled compiled = compile(policy, generation);
    stack.updatePolicy(compiled.text());
    awaitServed(generation);
    return compiled;
  }

  private static void awaitServed(long gen) {
    Wait.until(
        SERVED_WITHIN,
        "Envoy to serve policy generation "
            + gen
            + " (meshgate /status: "
            + stack.meshgate().status().path("policy")
            + ")",
        () -> {
          HttpResponse<String> probe = Http.get(stack.url("/generation"), "Host", "probe.sim");
          return probe.statusCode() == 200 && probe.body().equals(Long.toString(gen));
        });
  }

  /**
   * The policy's text, compiled as the server will: dead routes the generator made get a {@code #
   * meshgate:ignore}; any other error means the generator wrote an invalid policy (or the compiler
   * refused a valid one).
   */
  static Compiled compile(DiffPolicy policy, long gen) {
    Map<Integer, Set<String>> ignores = new TreeMap<>();
    for (int attempt = 0; ; attempt++) {
      String text =
          policy.render(
              services,
              listen,
              gen,
              line ->
                  Optional.ofNullable(ignores.get(line))
                      .map(codes ->
                          String.join(",", codes) + " generated: Envoy gets dead routes too"));
      Compilation c = Compiler.compile(List.of(new Source("policy.mesh", text)));
      List<Diagnostic> errors = c.diagnostics().stream().filter(Diagnostic::isError).toList();
      if (errors.isEmpty()) {
        return new Compiled(text, c.policy().orElseThrow());
      }
      boolean repaired = false;
      for (Diagnostic error : errors) {
        if (SILENCED.contains(error.code())
            && ignores
                .computeIfAbsent(error.span().line(), l -> new TreeSet<>())
                .add(error.code())) {
          repaired = true;
        }
      }
      if (!repaired || attempt > 5) {
        throw new InvalidPolicy(
            "the generated policy does not compile (a generator bug, unless the compiler is wrong):\n"
                + text
                + errors.stream().map(Diagnostic::render).collect(Collectors.joining("\n")));
      }
    }
  }

  /** A generated policy the compiler refuses. */
  static final class InvalidPolicy extends RuntimeException {
    InvalidPolicy(String message) {
      super(message);
    }
  }

  // ------------------------------------------------------------------ shrinking

  record Failure(int index, long seed, DiffPolicy policy, DiffRequest request, String mismatch) {}

  /**
   * The smallest variant of {@code failure} found that still disagrees: requests shrink on the
   * served policy, policies by serving each candidate (at most {@value #SHRINK_RELOADS} reloads).
   */
  private static Failure shrink(Failure failure) {
    Failure current = failure;
    int reloads = 0;
    Compiled served = serve(current.policy());
    boolean progress = true;
    while (progress && reloads < SHRINK_RELOADS) {
      progress = false;
      for (DiffRequest smaller : DiffShrinker.smaller(current.request())) {
        Optional<String> m = check(served, smaller);
        if (m.isPresent()) {
          current =
              new Failure(current.index(), current.seed(), current.policy(), smaller, m.get());
          progress = true;
          break;
        }
      }
      if (progress) {
        continue;
      }
      for (DiffPolicy smaller : DiffShrinker.smaller(current.policy())) {
        if (reloads >= SHRINK_RELOADS) {
          break;
        }
        Compiled candidate;
        try {
          candidate = serve(smaller);
        } catch (InvalidPolicy e) {
          generation--; // never written
          continue;
        }
        reloads++;
        Optional<String> m = check(candidate, current.request());
        if (m.isPresent()) {
          current =
              new Failure(current.index(), current.seed(), smaller, current.request(), m.get());
          served = candidate;
          progress = true;
          break;
        }
      }
    }
    // Leave Envoy serving the shrunk policy, for the report's outcome lines.
    serve(current.policy());
    return current;
  }

  private static String describe(SimulatedOutcome simulated) {
    return switch (simulated) {
      case SimulatedOutcome.Forwarded f ->
          "forwarded to "
              + f.shares()
              + " as "
              + f.upstreamPath()
              + " with "
              + new TreeMap<>(f.upstreamHeaders())
              + ", response headers "
              + new TreeMap<>(f.responseHeaders());
      case SimulatedOutcome.DirectResponse d ->
          "direct response "
              + d.status()
              + " \""
              + d.body()
              + "\", response headers "
              + new TreeMap<>(d.responseHeaders());
      case SimulatedOutcome.Redirected r ->
          "redirect "
              + r.status()
              + " to "
              + r.location()
              + ", response headers "
              + new TreeMap<>(r.responseHeaders());
      case SimulatedOutcome.NotFound n -> "404: " + n.reason();
      default -> simulated.toString();
    };
  }

  private static String report(Failure original, Failure shrunk) {
    Compiled compiled = compile(shrunk.policy(), generation);
    SimulatedOutcome simulated = simulate(compiled, shrunk.request());
    HttpResponse<String> envoy = send(shrunk.request());
    return "the simulator and Envoy disagree (seed "
        + SEED
        + ", policy #"
        + original.index()
        + " with seed "
        + original.seed()
        + "; rerun: -Dmeshgate.simdiff.seed="
        + SEED
        + ")\n"
        + "first seen: "
        + original.request()
        + ": "
        + original.mismatch()
        + "\nshrunk to:\n"
        + compiled.text()
        + "request: "
        + shrunk.request()
        + "\nsimulated: "
        + describe(simulated)
        + "\nEnvoy: "
        + envoy.statusCode()
        + " "
        + envoy.headers().map()
        + " "
        + envoy.body()
        + "\nmismatch: "
        + shrunk.mismatch()
        + "\n";
  }
}
