package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.SubsetIr;
import dev.meshgate.compiler.parse.ParsedFile;
import dev.meshgate.compiler.parse.PolicyParser;
import dev.meshgate.compiler.simulate.Expectation;
import dev.meshgate.compiler.simulate.ExpectedOutcome;
import dev.meshgate.compiler.simulate.PolicySimulator;
import dev.meshgate.compiler.simulate.PolicyTest;
import dev.meshgate.compiler.simulate.SimulatedOutcome;
import dev.meshgate.compiler.simulate.TestReport;
import dev.meshgate.compiler.simulate.TestRequest;
import dev.meshgate.compiler.simulate.TestResult;
import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.IssuedCertificate;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example's {@code test} blocks, run twice: by the simulator ({@code meshgate test}), and as
 * real traffic through real Envoys configured by a real {@code meshgate serve}. Both must agree
 * with every expectation, which proves the simulator agrees with Envoy.
 *
 * <p>Each example is served as written except for what a test machine needs: every static endpoint
 * becomes a {@link Backend} on a free port (keeping its labels), every listen, inbound, app and
 * outbound port a free port, Consul and Kubernetes sources static backends (one per subset,
 * labelled like the subset's selector: routing does not depend on where endpoints come from), and
 * http2/grpc services plain http (the echo backend speaks HTTP/1.1; the protocol does not change
 * routing). Backends tag every response with {@code x-it-backend}, so a response tells which
 * endpoint served it, HEAD requests included.
 *
 * <p>Gateway expectations: splits are measured over {@value #SPLIT_REQUESTS} requests, each share
 * within ±{@value #TOLERANCE} points; a single target over a few requests; statuses, redirects
 * (status and Location) and header checks on the response, and the upstream path and request
 * headers the backend saw against the simulated ones; {@code expect burst N} as N concurrent
 * requests ({@link Traffic}'s {@code burst}), each expectation once the gateway's local rate limit
 * buckets are full again, as the simulator assumes. East-west expectations ({@code A -> B}) are
 * sent straight to B's sidecar over mTLS with a workload certificate for A's SPIFFE ID issued by
 * meshgate's CA (what A's sidecar presents), or without one when A has no identity, so B's real
 * RBAC filters decide.
 */
@ExtendWith(PrintLogsOnFailure.class)
class PolicyTestsIT {
  static final int SPLIT_REQUESTS = 400;
  static final double TOLERANCE = 7.0;
  private static final int SINGLE_REQUESTS = 5;
  private static final String BACKEND_HEADER = "x-it-backend";
  private static final ExampleTokens TOKENS = new ExampleTokens();

  /** Longer than this to fill a gateway's buckets again is too slow to test here. */
  private static final Duration MAX_REFILL = Duration.ofSeconds(30);

  private static final Duration REFILL_MARGIN = Duration.ofMillis(200);

  @TempDir static Path work;

  /** The echo backend answers 400 HEAD requests per split; the JDK server warns about each. */
  private static final java.util.logging.Logger QUIET_HTTP_SERVER = quiet("com.sun.net.httpserver");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  @TestFactory
  Stream<DynamicTest> everyExamplesTestsHoldInTheSimulatorAndInEnvoy() throws IOException {
    RequiredEnvoy.path();
    // -Dit.examples=api-gateway,quickstart: only these (a quicker run while writing one).
    List<String> only =
        List.of(System.getProperty("it.examples", "").split(",")).stream()
            .filter(s -> !s.isBlank())
            .toList();
    List<Path> examples =
        ExamplesServeIT.exampleDirectories(ProjectRoot.get().resolve("examples")).stream()
            .filter(d -> only.isEmpty() || only.contains(d.getFileName().toString()))
            .toList();
    assertThat(examples).as("example directories").isNotEmpty();
    return examples.stream()
        .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
  }

  private static void run(Path example) throws IOException {
    List<Source> sources = PolicySources.load(List.of(example));
    CompiledPolicy original = compile(sources, example.toString());
    assertThat(original.tests()).as("test blocks in %s", example).isNotEmpty();
    List<TestResult> simulated = PolicySimulator.run(original);
    assertThat(simulated)
        .as("simulator on %s:%n%s", example, TestReport.render(simulated))
        .allMatch(TestResult::passed);

    Path dir = work.resolve(example.getFileName().toString());
    List<AutoCloseable> running = new ArrayList<>();
    try {
      Runnable runnable = Runnable.of(sources, dir.resolve("policy"), running);
      CompiledPolicy served = compile(runnable.sources(), "rewritten " + example);
      assertThat(served.tests()).hasSameSizeAs(original.tests());
      MeshgateProcess meshgate = MeshgateProcess.start(dir.resolve("policy"), dir);
      running.add(meshgate);
      Map<ProxyGroup, EnvoyProcess> envoys = new LinkedHashMap<>();
      for (ProxyResources group : served.groups()) {
        String name = group.group().name();
        EnvoyProcess envoy =
            group.group().role() == ProxyGroup.Role.GATEWAY
                ? GatewayStack.startEnvoy(name, meshgate, dir, group.listeners().size())
                : GatewayStack.startSidecar(name, meshgate, dir, group.listeners().size());
        running.add(envoy);
        envoys.put(group.group(), envoy);
      }
      for (ProxyResources group : served.groups()) {
        XdsStatus.awaitAcked(
            meshgate,
            envoys.get(group.group()).nodeId(),
            group.group().key(),
            XdsStatus.typesOf(group),
            Duration.ofSeconds(20));
      }
      Traffic traffic = new Traffic(served, runnable, meshgate.caDir());
      List<String> failures = new ArrayList<>();
      int checked = 0;
      for (PolicyTest test : served.tests()) {
        for (Expectation expectation : test.expectations()) {
          checked++;
          SimulatedOutcome simulation =
              PolicySimulator.simulate(served, expectation.request(), expectation.burst())
                  .outcome();
          for (String problem : traffic.check(expectation, simulation)) {
            failures.add(
                test.name()
                    + ": "
                    + expectation.request()
                    + " => "
                    + expectation.expectedText()
                    + ": "
                    + problem);
          }
        }
      }
      System.out.printf(
          "PolicyTestsIT: %s: %d tests, %d expectations through Envoy%n",
          example.getFileName(), served.tests().size(), checked);
      envoys.values().forEach(EnvoyProcess::assertNothingRejected);
      assertThat(failures).as("expectations Envoy disagrees with, in %s", example).isEmpty();
    } finally {
      List<AutoCloseable> reversed = new ArrayList<>(running);
      java.util.Collections.reverse(reversed);
      Closer.closeAll(reversed.toArray(AutoCloseable[]::new));
    }
  }

  private static CompiledPolicy compile(List<Source> sources, String what) {
    Compilation c = Compiler.compile(sources);
    return c.policy()
        .orElseThrow(() ->
            new AssertionError(
                what
                    + " does not compile:\n"
                    + c.diagnostics().stream()
                        .map(Diagnostic::render)
                        .collect(Collectors.joining("\n"))));
  }

  // ------------------------------------------------------------------ the runnable policy

  /**
   * The example with test-machine addresses (see the class comment), written to {@code dir}, and
   * which backend stands for which service and labels.
   */
  record Runnable(List<Source> sources, Map<String, Member> backends) {
    /** What a backend stands for: an endpoint of {@code service} with {@code labels}. */
    record Member(String service, SortedMap<String, String> labels) {}

    static Runnable of(List<Source> originals, Path dir, List<AutoCloseable> running)
        throws IOException {
      Map<String, Member> backends = new LinkedHashMap<>();
      List<ParsedFile> parsed = originals.stream().map(PolicyParser::parse).toList();
      // Sidecars first: static endpoints that are a sidecar's inbound address follow it.
      Map<String, Integer> inboundPorts = new TreeMap<>(); // "addr:port" as written -> new port
      Map<String, String> appBackendOfInbound = new TreeMap<>();
      Map<Span, String> edits = new LinkedHashMap<>();
      int counter = 0;
      for (ParsedFile file : parsed) {
        for (Decl decl : file.file().decls()) {
          if (decl instanceof ServiceDecl service) {
            for (ServiceStmt stmt : service.body()) {
              if (stmt instanceof ServiceStmt.Sidecar sidecar) {
                String inbound = null;
                int newInbound = 0;
                for (ServiceStmt.SidecarStmt s : sidecar.body()) {
                  switch (s.kind()) {
                    case INBOUND -> {
                      newInbound = FreePorts.next();
                      inbound = s.port().text();
                      edits.put(s.port().span(), Integer.toString(newInbound));
                      inboundPorts.put(
                          s.address().map(GatewayStmt.Address::text).orElse("0.0.0.0")
                              + ":"
                              + inbound,
                          newInbound);
                    }
                    case APP -> {
                      Backend app = start(service.name().text() + "#app", running);
                      backends.put(app.name(), new Member(service.name().text(), new TreeMap<>()));
                      edits.put(s.port().span(), Integer.toString(app.port()));
                      appBackendOfInbound.put(service.name().text(), app.name());
                    }
                    case OUTBOUND -> edits.put(s.port().span(), Integer.toString(FreePorts.next()));
                  }
                }
              }
            }
          }
        }
      }
      for (ParsedFile file : parsed) {
        for (Decl decl : file.file().decls()) {
          switch (decl) {
            case ServiceDecl service -> {
              String name = service.name().text();
              List<ServiceStmt.SubsetStmt> subsets =
                  service.body().stream()
                      .filter(ServiceStmt.SubsetStmt.class::isInstance)
                      .map(ServiceStmt.SubsetStmt.class::cast)
                      .toList();
              for (ServiceStmt stmt : service.body()) {
                switch (stmt) {
                  case ServiceStmt.StaticSource s -> {
                    for (ServiceStmt.Endpoint e : s.endpoints()) {
                      String written = e.host() + ":" + e.port().text();
                      Integer sidecarPort =
                          inboundPorts.getOrDefault(
                              written, inboundPorts.get("0.0.0.0:" + e.port().text()));
                      TreeMap<String, String> labels = new TreeMap<>();
                      e.labels().forEach(l -> labels.put(l.key(), l.value()));
                      String address;
                      if (sidecarPort != null) {
                        address = "127.0.0.1:" + sidecarPort;
                        String app = appBackendOfInbound.get(name);
                        if (app != null) {
                          backends.put(app, new Member(name, labels));
                        }
                      } else {
                        Backend b = start(name + "#" + (++counter), running);
                        backends.put(b.name(), new Member(name, labels));
                        address = b.address();
                      }
                      Span host = e.hostSpan();
                      Span port = e.port().span();
                      edits.put(
                          new Span(
                              host.file(),
                              host.line(),
                              host.column(),
                              port.column() + port.length() - host.column()),
                          address);
                    }
                  }
                  case ServiceStmt.ConsulSource c ->
                      edits.put(c.span(), staticSource(name, subsets, backends, running));
                  case ServiceStmt.KubernetesSource k ->
                      edits.put(k.span(), staticSource(name, subsets, backends, running));
                  case ServiceStmt.ProtocolStmt p -> {
                    if (!p.protocol().text().equals("http") && !p.protocol().text().equals("tcp")) {
                      edits.put(p.protocol().span(), "http");
                    }
                  }
                  default -> {}
                }
              }
            }
            case GatewayDecl gateway -> {
              for (GatewayStmt stmt : gateway.body()) {
                if (stmt instanceof GatewayStmt.Listen listen) {
                  edits.put(listen.port().span(), Integer.toString(FreePorts.next()));
                }
                if (stmt instanceof GatewayStmt.JwtProvider provider) {
                  // The example's identity provider is not here: its keys become ours.
                  Path jwks = dir.resolveSibling("example.jwks.json");
                  Policy.write(jwks, TOKENS.jwks());
                  for (GatewayStmt.JwtField field : provider.fields()) {
                    Optional<Span> keys =
                        switch (field) {
                          case GatewayStmt.JwtField.RemoteJwks r -> Optional.of(r.span());
                          case GatewayStmt.JwtField.LocalJwks l -> Optional.of(l.span());
                          default -> Optional.empty();
                        };
                    keys.ifPresent(
                        span -> edits.put(span, "jwks file \"" + jwks.toAbsolutePath() + "\""));
                  }
                }
              }
            }
            default -> {}
          }
        }
      }
      List<Source> rewritten = new ArrayList<>();
      for (Source source : originals) {
        String text = apply(source, edits);
        Path file = dir.resolve(Path.of(source.name()).getFileName().toString());
        Policy.write(file, text);
        rewritten.add(new Source(file.toString(), text));
      }
      return new Runnable(rewritten, backends);
    }

    /** {@code source static …}: one labelled backend per subset, or one plain backend. */
    private static String staticSource(
        String service,
        List<ServiceStmt.SubsetStmt> subsets,
        Map<String, Member> backends,
        List<AutoCloseable> running) {
      List<String> endpoints = new ArrayList<>();
      List<TreeMap<String, String>> labelSets = new ArrayList<>();
      subsets.forEach(s -> {
        TreeMap<String, String> labels = new TreeMap<>();
        s.where().forEach(l -> labels.put(l.key(), l.value()));
        labelSets.add(labels);
      });
      if (labelSets.isEmpty()) {
        labelSets.add(new TreeMap<>());
      }
      int i = 0;
      for (TreeMap<String, String> labels : labelSets) {
        Backend b = start(service + "#" + (++i), running);
        backends.put(b.name(), new Member(service, labels));
        String labelText =
            labels.entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(" "));
        endpoints.add(b.address() + (labels.isEmpty() ? "" : " labels " + labelText));
      }
      return "source static " + String.join(", ", endpoints);
    }

    private static Backend start(String name, List<AutoCloseable> running) {
      Backend backend = Backend.start(name);
      backend.responseHeader(BACKEND_HEADER, name);
      running.add(backend);
      return backend;
    }

    /** Replaces each span (one line each) in {@code source}, last first so offsets stay valid. */
    private static String apply(Source source, Map<Span, String> edits) {
      String text = source.text();
      List<Map.Entry<Span, String>> mine =
          edits.entrySet().stream()
              .filter(e -> e.getKey().file().equals(source.name()))
              .sorted(
                  Comparator.comparing((Map.Entry<Span, String> e) -> e.getKey().line())
                      .thenComparing(e -> e.getKey().column())
                      .reversed())
              .toList();
      List<Integer> lineStarts = new ArrayList<>(List.of(0));
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          lineStarts.add(i + 1);
        }
      }
      StringBuilder sb = new StringBuilder(text);
      for (Map.Entry<Span, String> edit : mine) {
        Span span = edit.getKey();
        int start = lineStarts.get(span.line() - 1) + span.column() - 1;
        sb.replace(start, start + span.length(), edit.getValue());
      }
      return sb.toString();
    }
  }

  // ------------------------------------------------------------------ traffic

  /** Sends an expectation's request to the real Envoys and judges what came back. */
  static final class Traffic {
    private final CompiledPolicy policy;
    private final Runnable runnable;
    private final Path caDir;

    /** When each gateway with local rate limits was last sent a request. */
    private final Map<String, Long> lastSent = new TreeMap<>();

    Traffic(CompiledPolicy policy, Runnable runnable, Path caDir) {
      this.policy = policy;
      this.runnable = runnable;
      this.caDir = caDir;
    }

    private List<TokenBucket> buckets(String gateway) {
      return policy.group(ProxyGroup.gateway(gateway)).map(Bursts::buckets).orElse(List.of());
    }

    /**
     * The simulator judges each expectation with full buckets; Envoy's were drained by the
     * expectations before: wait until they are full again.
     */
    private void awaitFullBuckets(String gateway) {
      Duration refill = Bursts.refill(buckets(gateway));
      if (refill.isZero()) {
        return;
      }
      if (refill.compareTo(MAX_REFILL) > 0) {
        throw new AssertionError(
            "gateway "
                + gateway
                + "'s rate limit buckets take "
                + refill
                + " to fill: too slow for PolicyTestsIT (at most "
                + MAX_REFILL
                + ")");
      }
      Long last = lastSent.get(gateway);
      if (last != null) {
        long waitNanos = last + refill.toNanos() + REFILL_MARGIN.toNanos() - System.nanoTime();
        if (waitNanos > 0) {
          try {
            Thread.sleep(Duration.ofNanos(waitNanos));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
      }
    }

    List<String> check(Expectation expectation, SimulatedOutcome simulated) {
      return switch (expectation.request()) {
        case TestRequest.ViaGateway g -> viaGateway(g, expectation, simulated);
        case TestRequest.Call c -> call(c, expectation);
      };
    }

    private List<String> viaGateway(
        TestRequest.ViaGateway request, Expectation expectation, SimulatedOutcome simulated) {
      int port =
          policy.ir().gateways().stream()
              .filter(g -> g.name().equals(request.gateway()))
              .findFirst()
              .orElseThrow()
              .listeners()
              .stream()
              // Plain HTTP: a TLS listener (the quickstart's) resets a cleartext request, and a
              // redirect-to-https listener answers every request with that redirect.
              .filter(l -> l.tls().isEmpty() && l.redirectToHttpsPort().isEmpty())
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("no plain HTTP listener to test through"))
              .port();
      String url = "http://127.0.0.1:" + port + request.path() + query(request.query());
      List<String> headers = new ArrayList<>(List.of("Host", request.host()));
      if (request.jwt()) {
        ExampleTokens.Placement token = TOKENS.place(jwtProvider(request.gateway()), request);
        headers.addAll(token.headers());
        if (!token.query().isEmpty()) {
          url += (url.contains("?") ? "&" : "?") + token.query();
        }
      }
      request
          .headers()
          .forEach(h -> {
            headers.add(h.name());
            headers.add(h.value());
          });
      String[] headerArray = headers.toArray(String[]::new);
      awaitFullBuckets(request.gateway());
      try {
        if (expectation.burst() > 1) {
          return burst(request, url, headerArray, expectation, simulated);
        }
        return single(request, url, headerArray, expectation, simulated);
      } finally {
        lastSent.put(request.gateway(), System.nanoTime());
      }
    }

    /**
     * {@code expect burst N}: N requests at once. The simulator judges the last of them, which
     * means: when it says 429 because N is over the bucket B, N-B of them get 429 (fewer by the
     * tokens Envoy may add while they arrive) and the others reach a backend; when the bucket holds
     * them, all N must have the expected outcome.
     */
    private List<String> burst(
        TestRequest.ViaGateway request,
        String url,
        String[] headers,
        Expectation expectation,
        SimulatedOutcome simulated) {
      List<String> problems = new ArrayList<>();
      int n = expectation.burst();
      long start = System.nanoTime();
      List<HttpResponse<String>> responses = Bursts.send(n, request.method(), url, headers);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      List<HttpResponse<String>> refused =
          responses.stream().filter(r -> r.statusCode() == 429).toList();
      List<HttpResponse<String>> served =
          responses.stream()
              .filter(
                  r -> r.statusCode() == 200 && r.headers().firstValue(BACKEND_HEADER).isPresent())
              .toList();
      if (refused.size() + served.size() != n) {
        problems.add(
            "of the burst of "
                + n
                + ", some got neither 429 nor a backend's 200: "
                + Bursts.statuses(responses).toList());
      }
      switch (expectation.outcome()) {
        case ExpectedOutcome.Status status
            when status.status() == 429
                && simulated instanceof SimulatedOutcome.RateLimited limited -> {
          long over = n - limited.bucket();
          long slack = Bursts.refilledWithin(buckets(request.gateway()), elapsed);
          if (refused.size() > over || refused.size() < Math.max(1, over - slack)) {
            problems.add(
                String.format(
                    "%d of the burst of %d got 429; the bucket of %d refuses %d (%d fewer if"
                        + " Envoy added tokens in the %d ms the burst took)",
                    refused.size(), n, limited.bucket(), over, slack, elapsed.toMillis()));
          }
          refused.stream()
              .filter(r -> r.headers().firstValue(BACKEND_HEADER).isPresent())
              .findFirst()
              .ifPresent(r -> problems.add("a 429 came from a backend"));
          if (!refused.isEmpty()) {
            responseHeaders(refused.getFirst(), expectation, problems);
          }
        }
        case ExpectedOutcome.Forward forward when forward.shares().size() == 1 -> {
          if (served.size() != n) {
            problems.add(
                "the bucket holds the burst of "
                    + n
                    + " but only "
                    + served.size()
                    + " reached a backend: "
                    + Bursts.statuses(responses).toList());
          }
          for (HttpResponse<String> r : served) {
            String backend = r.headers().firstValue(BACKEND_HEADER).orElseThrow();
            if (!clusterOf(backend, forward)
                .equals(Optional.of(forward.shares().getFirst().cluster()))) {
              problems.add("served by " + backend + ", not by " + forward);
              break;
            }
          }
          if (!served.isEmpty()) {
            responseHeaders(served.getFirst(), expectation, problems);
          }
        }
        default ->
            problems.add(
                "a burst expecting "
                    + expectation.expectedText()
                    + " (the simulator: "
                    + simulated
                    + ") is not tested through Envoy: only a 429 from a local rate limit or a"
                    + " single target");
      }
      return problems;
    }

    private List<String> single(
        TestRequest.ViaGateway request,
        String url,
        String[] headerArray,
        Expectation expectation,
        SimulatedOutcome simulated) {
      List<String> problems = new ArrayList<>();
      switch (expectation.outcome()) {
        case ExpectedOutcome.Forward forward -> {
          int n = forward.shares().size() == 1 ? SINGLE_REQUESTS : SPLIT_REQUESTS;
          Map<String, Integer> counts = new TreeMap<>();
          HttpResponse<String> sample = null;
          for (int i = 0; i < n; i++) {
            HttpResponse<String> response = Http.send(request.method(), url, headerArray);
            Optional<String> backend = response.headers().firstValue(BACKEND_HEADER);
            if (response.statusCode() != 200 || backend.isEmpty()) {
              problems.add(
                  "request "
                      + (i + 1)
                      + " got "
                      + response.statusCode()
                      + " not from a backend: "
                      + response.body());
              return problems;
            }
            sample = response;
            Optional<String> cluster = clusterOf(backend.get(), forward);
            if (cluster.isEmpty()) {
              problems.add(
                  "served by "
                      + backend.get()
                      + ", which is in none (or several) of the expected clusters");
              return problems;
            }
            counts.merge(cluster.get(), 1, Integer::sum);
          }
          for (ExpectedOutcome.Share share : forward.shares()) {
            double observed = 100.0 * counts.getOrDefault(share.cluster(), 0) / n;
            if (Math.abs(observed - share.percent())
                > (forward.shares().size() == 1 ? 0 : TOLERANCE)) {
              problems.add(
                  String.format(
                      "%s got %.1f%% of %d requests, expected %s (±%s)",
                      share.cluster(), observed, n, share, TOLERANCE));
            }
          }
          if (sample != null
              && !request.method().equals("HEAD")
              && simulated instanceof SimulatedOutcome.Forwarded f) {
            JsonNode echo = Http.json(sample);
            String path =
                echo.path("path").asText()
                    + (echo.path("query").asText().isEmpty()
                        ? ""
                        : "?" + echo.path("query").asText());
            if (!path.equals(encodedPathAndQuery(f.upstreamPath()))) {
              problems.add("upstream path " + path + ", the simulator said " + f.upstreamPath());
            }
            for (Expectation.HeaderCheck check : expectation.checks()) {
              if (check.direction() == Expectation.HeaderCheck.Direction.REQUEST) {
                String got = echo.path("headers").path(check.name()).asText(null);
                if (!check.value().equals(got)) {
                  problems.add(
                      "the backend got "
                          + check.name()
                          + ": "
                          + got
                          + ", expected "
                          + check.value());
                }
              }
            }
          }
          if (sample != null) {
            responseHeaders(sample, expectation, problems);
          }
        }
        case ExpectedOutcome.Status status -> {
          HttpResponse<String> response = Http.send(request.method(), url, headerArray);
          if (response.statusCode() != status.status()
              || response.headers().firstValue(BACKEND_HEADER).isPresent()) {
            problems.add(
                "got "
                    + response.statusCode()
                    + response
                        .headers()
                        .firstValue(BACKEND_HEADER)
                        .map(b -> " from backend " + b)
                        .orElse(""));
          }
          responseHeaders(response, expectation, problems);
        }
        case ExpectedOutcome.Fault fault -> {
          // Envoy's fault filter answers with its own body, before any backend is asked.
          HttpResponse<String> response = Http.send(request.method(), url, headerArray);
          if (response.statusCode() != fault.status()
              || !response.body().equals("fault filter abort")
              || response.headers().firstValue(BACKEND_HEADER).isPresent()) {
            problems.add(
                "got "
                    + response.statusCode()
                    + " \""
                    + response.body()
                    + "\""
                    + response
                        .headers()
                        .firstValue(BACKEND_HEADER)
                        .map(b -> " from backend " + b)
                        .orElse(""));
          }
        }
        case ExpectedOutcome.Redirect redirect -> {
          HttpResponse<String> response = Http.send(request.method(), url, headerArray);
          String location = response.headers().firstValue("location").orElse("(none)");
          boolean locationOk =
              redirect.location().startsWith("/")
                  ? pathAndQuery(location).equals(redirect.location())
                  : location.equals(redirect.location());
          if (response.statusCode() != redirect.status() || !locationOk) {
            problems.add("got " + response.statusCode() + " to " + location);
          }
          responseHeaders(response, expectation, problems);
        }
        case ExpectedOutcome.Verdict v ->
            problems.add("a verdict on a gateway request (the checker forbids it)");
      }
      return problems;
    }

    /** The gateway's JWT provider; examples with several would need the route's choice. */
    private dev.meshgate.compiler.ir.JwtIr.ProviderIr jwtProvider(String gateway) {
      List<dev.meshgate.compiler.ir.JwtIr.ProviderIr> providers =
          policy.ir().gateways().stream()
              .filter(g -> g.name().equals(gateway))
              .findFirst()
              .orElseThrow()
              .jwtProviders();
      assertThat(providers).as("JWT providers of gateway %s", gateway).hasSize(1);
      return providers.getFirst();
    }

    private static void responseHeaders(
        HttpResponse<String> response, Expectation expectation, List<String> problems) {
      for (Expectation.HeaderCheck check : expectation.checks()) {
        if (check.direction() == Expectation.HeaderCheck.Direction.RESPONSE) {
          String got = response.headers().firstValue(check.name()).orElse(null);
          if (!check.value().equals(got)) {
            problems.add(
                "the client got " + check.name() + ": " + got + ", expected " + check.value());
          }
        }
      }
    }

    /** The expected cluster a backend belongs to, when exactly one does. */
    private Optional<String> clusterOf(String backend, ExpectedOutcome.Forward forward) {
      Runnable.Member member = runnable.backends().get(backend);
      if (member == null) {
        return Optional.empty();
      }
      List<String> matching = new ArrayList<>();
      for (ExpectedOutcome.Share share : forward.shares()) {
        String[] parts = share.cluster().split("\\.", 2);
        if (!parts[0].equals(member.service())) {
          continue;
        }
        if (parts.length == 1) {
          matching.add(share.cluster());
          continue;
        }
        ServiceIr service =
            policy.ir().services().stream()
                .filter(s -> s.name().equals(parts[0]))
                .findFirst()
                .orElseThrow();
        SubsetIr subset =
            service.subsets().stream()
                .filter(s -> s.name().equals(parts[1]))
                .findFirst()
                .orElseThrow();
        if (member.labels().entrySet().containsAll(subset.selector().entrySet())) {
          matching.add(share.cluster());
        }
      }
      return matching.size() == 1 ? Optional.of(matching.getFirst()) : Optional.empty();
    }

    /** East-west: straight to the callee's sidecar, as the caller's sidecar would connect. */
    private List<String> call(TestRequest.Call request, Expectation expectation) {
      ProxyResources callee = policy.group(ProxyGroup.sidecar(request.callee())).orElseThrow();
      int port =
          policy.ir().sidecars().stream()
              .filter(s -> s.service().equals(request.callee()))
              .findFirst()
              .orElseThrow()
              .inbound()
              .port();
      Optional<String> identity =
          policy
              .group(ProxyGroup.sidecar(request.caller()))
              .or(() -> policy.group(ProxyGroup.gateway(request.caller())))
              .flatMap(ProxyResources::identity);
      boolean plaintext =
          identity.isEmpty()
              && callee.listeners().stream().anyMatch(l -> l.hasDefaultFilterChain());
      String outcome = MtlsCaller.send(caDir, identity, plaintext, port, request);
      boolean denied = !outcome.startsWith("HTTP/1.1 200");
      boolean ok =
          switch (expectation.outcome()) {
            case ExpectedOutcome.Verdict v -> v.allowed() != denied;
            case ExpectedOutcome.Status s -> outcome.startsWith("HTTP/1.1 " + s.status());
            default -> false;
          };
      return ok
          ? List.of()
          : List.of("the sidecar of " + request.callee() + " answered: " + outcome);
    }
  }

  static String query(List<TestRequest.Param> query) {
    if (query.isEmpty()) {
      return "";
    }
    return "?"
        + query.stream()
            .map(p -> encode(p.name()) + "=" + encode(p.value()))
            .collect(Collectors.joining("&"));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The simulator's upstream path with its query encoded as this test sends it. */
  private static String encodedPathAndQuery(String upstream) {
    int q = upstream.indexOf('?');
    if (q < 0) {
      return upstream;
    }
    List<TestRequest.Param> params = new ArrayList<>();
    for (String pair : upstream.substring(q + 1).split("&")) {
      String[] kv = pair.split("=", 2);
      params.add(new TestRequest.Param(kv[0], kv.length > 1 ? kv[1] : ""));
    }
    return upstream.substring(0, q) + query(params);
  }

  static String pathAndQuery(String location) {
    int scheme = location.indexOf("://");
    if (scheme < 0) {
      return location;
    }
    int slash = location.indexOf('/', scheme + 3);
    return slash < 0 ? "/" : location.substring(slash);
  }

  // ------------------------------------------------------------------ an mTLS caller

  /**
   * A caller of a sidecar's inbound port over a bare socket: TLS with a workload certificate for
   * {@code identity} from meshgate's CA (what the caller's own sidecar would present), TLS without
   * a certificate, or plaintext. Returns the status line, or why there is none.
   */
  static final class MtlsCaller {
    private static final int TIMEOUT_MS = 5000;

    private MtlsCaller() {}

    static String send(
        Path caDir,
        Optional<String> identity,
        boolean plaintext,
        int port,
        TestRequest.Call request) {
      try {
        Socket socket;
        if (plaintext) {
          socket = new Socket();
          socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
        } else {
          SSLContext context = SSLContext.getInstance("TLS");
          KeyManagerFactory keys = null;
          if (identity.isPresent()) {
            IssuedCertificate cert =
                CertificateAuthority.load(caDir).issueWorkload(identity.get(), Duration.ofHours(1));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                "workload", cert.key(), new char[0], cert.chain().toArray(X509Certificate[]::new));
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
          }
          context.init(
              keys == null ? null : keys.getKeyManagers(),
              new TrustManager[] {new TrustAll()},
              null);
          SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket();
          ssl.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
          ssl.setSoTimeout(TIMEOUT_MS);
          ssl.startHandshake();
          socket = ssl;
        }
        try (socket) {
          socket.setSoTimeout(TIMEOUT_MS);
          StringBuilder head = new StringBuilder();
          head.append(request.method())
              .append(' ')
              .append(request.path())
              .append(query(request.query()))
              .append(" HTTP/1.1\r\n");
          head.append("Host: ").append(request.callee()).append("\r\n");
          request
              .headers()
              .forEach(h -> head.append(h.name()).append(": ").append(h.value()).append("\r\n"));
          head.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
          OutputStream out = socket.getOutputStream();
          out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
          out.flush();
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
          String line = in.readLine();
          return line == null || line.isEmpty() ? "no answer (connection closed)" : line;
        }
      } catch (IOException | java.security.GeneralSecurityException e) {
        return "no answer: " + e;
      }
    }

    private static final class TrustAll implements X509TrustManager {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }
  }
}
